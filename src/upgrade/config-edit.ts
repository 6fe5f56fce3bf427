// Moving an image pin in the user's llm.config.ts (or .js, .json) without touching anything else:
// the one string literal is replaced, or a missing `image` key inserted, and every other byte of
// the file stays as it was. The file is read as tokens (strings, comments and template literals
// skipped whole), the default export's object literal walked by key; whatever is not a plain
// object of plain keys on the way (a spread, a computed key, a variable, a function call, a
// template with `${}`) is a refusal naming the setting to change by hand, never a guess.
import { LlmError, type Result, fail, ok } from "../errors.js";

interface Token {
  kind: "punct" | "string" | "word" | "template";
  text: string;
  start: number;
  end: number;
}

function tokenize(source: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (source.startsWith("//", i)) {
      const end = source.indexOf("\n", i);
      i = end === -1 ? source.length : end;
    } else if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      if (end === -1) return "a comment is not closed";
      i = end + 2;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      let interpolated = false;
      while (j < source.length && source[j] !== c) {
        if (source[j] === "\\") j++;
        else if (c === "`" && source.startsWith("${", j)) interpolated = true;
        else if (c !== "`" && source[j] === "\n") return "a string is not closed on its line";
        j++;
      }
      if (j >= source.length) return "a string is not closed";
      tokens.push({ kind: c === "`" ? "template" : "string", text: source.slice(i, j + 1), start: i, end: j + 1 });
      // A template with ${} holds code: its inside is not one of the tokens here.
      if (interpolated) tokens[tokens.length - 1]!.kind = "template";
      i = j + 1;
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      let j = i;
      while (j < source.length && /[A-Za-z0-9_$.]/.test(source[j]!)) j++;
      tokens.push({ kind: "word", text: source.slice(i, j), start: i, end: j });
      i = j;
    } else if (source.startsWith("...", i)) {
      tokens.push({ kind: "punct", text: "...", start: i, end: i + 3 });
      i += 3;
    } else {
      tokens.push({ kind: "punct", text: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

interface Property {
  key: string;
  keyStart: number;
  value: { kind: "object"; object: ObjectLiteral } | { kind: "string"; token: Token } | { kind: "other"; start: number };
}

interface ObjectLiteral {
  open: Token;
  close: Token;
  properties: Property[];
  /** A spread or a computed key: which keys the object ends up with is not in the text. */
  opaque: boolean;
}

const OPEN: Record<string, string> = { "{": "}", "(": ")", "[": "]" };

class Parser {
  i = 0;
  constructor(readonly tokens: Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  /** Skips a value up to the `,` or `}` that ends it, brackets balanced. */
  skipValue(): void {
    const stack: string[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i]!;
      if (t.kind === "punct") {
        if (stack.length === 0 && (t.text === "," || t.text === "}")) return;
        if (OPEN[t.text]) stack.push(OPEN[t.text]!);
        else if (t.text === stack[stack.length - 1]) stack.pop();
      }
      this.i++;
    }
  }
  object(): ObjectLiteral | undefined {
    const open = this.peek()!;
    this.i++;
    const properties: Property[] = [];
    let opaque = false;
    for (;;) {
      const t = this.peek();
      if (!t) return undefined;
      if (t.kind === "punct" && t.text === "}") {
        this.i++;
        return { open, close: t, properties, opaque };
      }
      if (t.kind === "punct" && t.text === ",") {
        this.i++;
        continue;
      }
      if (t.kind === "punct" && (t.text === "..." || t.text === "[")) {
        opaque = true;
        this.skipValue();
        continue;
      }
      const key = t.kind === "word" ? t.text : t.kind === "string" ? t.text.slice(1, -1) : undefined;
      const colon = this.peek(1);
      if (key === undefined || colon?.text !== ":") {
        // A method, a getter, a shorthand property: its value is not in the text.
        opaque = true;
        this.skipValue();
        continue;
      }
      this.i += 2;
      const v = this.peek();
      if (!v) return undefined;
      if (v.kind === "punct" && v.text === "{") {
        const object = this.object();
        if (!object) return undefined;
        const after = this.peek();
        if (after && !(after.kind === "punct" && (after.text === "," || after.text === "}"))) {
          properties.push({ key, keyStart: t.start, value: { kind: "other", start: v.start } });
          this.skipValue();
        } else properties.push({ key, keyStart: t.start, value: { kind: "object", object } });
        continue;
      }
      const after = this.peek(1);
      if (v.kind === "string" && after?.kind === "punct" && (after.text === "," || after.text === "}")) {
        properties.push({ key, keyStart: t.start, value: { kind: "string", token: v } });
        this.i++;
        continue;
      }
      properties.push({ key, keyStart: t.start, value: { kind: "other", start: v.start } });
      this.skipValue();
    }
  }
}

/** The object literal the config exports: `export default defineConfig({…})`, `export default {…}`,
 * `module.exports = {…}`, or a JSON file's top-level object. */
function exportedObject(tokens: Token[], json: boolean): ObjectLiteral | string {
  let start = -1;
  if (json) start = tokens[0]?.text === "{" ? 0 : -1;
  else {
    for (let i = 0; i < tokens.length && start === -1; i++) {
      const t = tokens[i]!;
      const exported = (t.text === "export" && tokens[i + 1]?.text === "default") || (t.text === "module.exports" && tokens[i + 1]?.text === "=");
      if (!exported) continue;
      let j = i + 2;
      if (tokens[j]?.kind === "word" && tokens[j + 1]?.text === "(") j += 2;
      if (tokens[j]?.text === "{") start = j;
      else return "its default export is not an object literal (or defineConfig({ … }))";
    }
  }
  if (start === -1) return json ? "it is not a JSON object" : "no `export default` was found";
  const parser = new Parser(tokens);
  parser.i = start;
  return parser.object() ?? "its object literal is not closed";
}

export interface PinEdit {
  /** "meilisearch.image", "monitoring.prometheus.image". */
  path: string;
  image: string;
}

function refuse(file: string, path: string, image: string, why: string): Result<never> {
  return fail(
    new LlmError("CONFIG_EDIT_REFUSED", `${file}: llm upgrade cannot set ${path} in this file: ${why}`, {
      diagnostics: [{ file, path, message: why }],
      hint: `set ${path}: "${image}" in ${file} by hand and run \`llm generate\` (llm upgrade --plan shows the steps); nothing was changed`,
    }),
  );
}

const lineOf = (source: string, at: number) => source.slice(0, at).split("\n").length;

/** The new text, with each pin set. Every byte outside the replaced literals and the inserted keys
 * is the original's. */
export function editPins(source: string, file: string, edits: readonly PinEdit[]): Result<string> {
  if (/\.ya?ml$/i.test(file))
    return refuse(file, edits[0]?.path ?? "", edits[0]?.image ?? "", "llm upgrade edits TypeScript, JavaScript and JSON configs, not YAML");
  const json = /\.json$/i.test(file);
  // package.json keeps the config under "llm".
  const prefix = /(^|\/)package\.json$/.test(file) ? "llm." : "";
  const tokens = tokenize(source);
  for (const edit of edits) {
    if (!/^[\w./:@-]+$/.test(edit.image)) return refuse(file, edit.path, edit.image, `${JSON.stringify(edit.image)} is not an image reference`);
  }
  if (typeof tokens === "string") return refuse(file, edits[0]?.path ?? "", edits[0]?.image ?? "", tokens);
  const root = exportedObject(tokens, json);
  if (typeof root === "string") return refuse(file, edits[0]?.path ?? "", edits[0]?.image ?? "", root);
  const quote = json ? '"' : (tokens.find((t) => t.kind === "string")?.text[0] ?? '"');
  const keyText = (key: string) => (json ? `"${key}"` : key);
  const patches: { at: number; end: number; text: string }[] = [];
  for (const edit of edits) {
    const keys = `${prefix}${edit.path}`.split(".");
    let object = root;
    let done = false;
    for (let k = 0; k < keys.length && !done; k++) {
      const key = keys[k]!;
      const found = object.properties.filter((p) => p.key === key);
      if (found.length > 1)
        return refuse(file, edit.path, edit.image, `${keys.slice(0, k + 1).join(".")} is set twice (line ${lineOf(source, found[1]!.keyStart)})`);
      const property = found[0];
      const last = k === keys.length - 1;
      if (!property) {
        if (object.opaque)
          return refuse(
            file,
            edit.path,
            edit.image,
            `the object around ${keys.slice(0, k + 1).join(".")} has a spread, a computed key or a method (line ${lineOf(source, object.open.start)}), so whether it sets ${key} is not in the text`,
          );
        const value = keys.slice(k + 1).reduceRight((inner, name) => `{ ${keyText(name)}: ${inner} }`, `${quote}${edit.image}${quote}`);
        patches.push({
          at: object.open.end,
          end: object.open.end,
          text: insertion(source, object, `${keyText(key)}: ${last ? `${quote}${edit.image}${quote}` : value}`),
        });
        done = true;
      } else if (last) {
        if (property.value.kind !== "string")
          return refuse(file, edit.path, edit.image, `${edit.path} is not a plain string there (line ${lineOf(source, property.keyStart)})`);
        const token = property.value.token;
        patches.push({ at: token.start, end: token.end, text: `${token.text[0]}${edit.image}${token.text[0]}` });
      } else if (property.value.kind === "object") {
        object = property.value.object;
      } else {
        return refuse(
          file,
          edit.path,
          edit.image,
          `${keys.slice(0, k + 1).join(".")} is not an object literal there (line ${lineOf(source, property.keyStart)})`,
        );
      }
    }
  }
  patches.sort((a, b) => b.at - a.at);
  let out = source;
  for (const patch of patches) out = out.slice(0, patch.at) + patch.text + out.slice(patch.end);
  return ok(out);
}

/** `key: value` placed first in the object, laid out as the object is: on its own line with the
 * next line's indent when the object spans lines, inline otherwise. */
function insertion(source: string, object: ObjectLiteral, property: string): string {
  const inside = source.slice(object.open.end, object.close.start);
  if (object.properties.length === 0 && !object.opaque && /^\s*$/.test(inside)) return inside.length === 0 ? ` ${property} ` : ` ${property}`;
  const newline = /^[ \t]*\n([ \t]*)/.exec(inside);
  return newline ? `\n${newline[1]}${property},` : ` ${property},`;
}
