// secrets.env read the way Compose reads an env_file (compose-go's dotenv/parser.go), so a value
// llm checks is the value the containers get: `KEY=value # note` is `value`, `KEY=a#b` is `a#b`,
// quoted values may span lines, `export KEY=...` is allowed. What Compose would read differently
// from what its author meant, or not at all, is a problem with a line number rather than a line
// silently skipped: a skipped CREDS_KEY line used to be replaced by a new key.

export interface DotenvEntry {
  key: string;
  /** As Compose reads it, `$$` already `$`; for a bare `KEY` line, "" (see `inherited`). */
  value: string;
  /** First and last line of the statement, 1-based. */
  line: number;
  endLine: number;
  /** A line holding only the name: Compose takes the value from its own environment. */
  inherited: boolean;
  /** Compose would replace a `$NAME` or `${...}` in the value (unquoted or double-quoted). */
  interpolates: boolean;
}

interface DotenvProblem {
  line: number;
  message: string;
  hint: string;
}

interface Dotenv {
  entries: DotenvEntry[];
  problems: DotenvProblem[];
}

// compose-go's isSpace: blanks other than a line break.
const isBlank = (c: string | undefined) => c === " " || c === "\t" || c === "\v" || c === "\f" || c === "\r" || c === "\u0085" || c === "\u00a0";
const isWhite = (c: string | undefined) => c === "\n" || isBlank(c) || (c !== undefined && c > "\u007f" && /\s/.test(c));
// compose-go: letters, digits, and _ . - [ ] (ASCII answered without a regex: this runs per character).
const isKeyChar = (c: string) =>
  (c >= "A" && c <= "Z") ||
  (c >= "a" && c <= "z") ||
  (c >= "0" && c <= "9") ||
  c === "_" ||
  c === "." ||
  c === "-" ||
  c === "[" ||
  c === "]" ||
  (c > "\u007f" && /[\p{L}\p{N}]/u.test(c));

// compose-go's expandEscapes for double quotes: the shell's escapes (\a \b \f \n \r \t \v \\ \"
// and octal \0NNN); `\$` stays a literal dollar; any other backslash stays as written.
const ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' };
function expandEscapes(text: string): string {
  return text.replace(/\\(?:([abcfnrtv$"\\])|0([0-7]{0,3}))/g, (match, simple: string | undefined, octal: string | undefined) => {
    if (simple === "$") return "$$";
    if (simple !== undefined) return ESCAPES[simple] ?? match;
    return String.fromCharCode(parseInt(octal || "0", 8));
  });
}

/** `$$` → `$`, and whether anything else would be interpolated. */
function interpolation(text: string): { value: string; interpolates: boolean } {
  let interpolates = false;
  const value = text.replace(/\$(\$|\{|[A-Za-z_])?/g, (match, next: string | undefined) => {
    if (next === "$") return "$";
    if (next !== undefined) interpolates = true;
    return match;
  });
  return { value, interpolates };
}

export function parseDotenv(text: string): Dotenv {
  const entries: DotenvEntry[] = [];
  const problems: DotenvProblem[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  const skipToLineEnd = () => {
    while (i < n && text[i] !== "\n") i++;
  };
  const problem = (at: number, message: string, hint: string) => {
    problems.push({ line: at, message, hint });
    skipToLineEnd();
  };

  while (i < n) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (isWhite(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      skipToLineEnd();
      continue;
    }
    const start = line;
    if (text.startsWith("export", i) && (text[i + 6] === " " || text[i + 6] === "\t")) {
      i += 6;
      while (isBlank(text[i])) i++;
    }
    // The name runs to `=` (or `:`, or the end of the line); blanks inside it are an error.
    const keyStart = i;
    while (i < n && text[i] !== "=" && text[i] !== ":" && text[i] !== "\n") i++;
    const rawKey = text.slice(keyStart, i);
    const key = rawKey.replace(/\s+$/, "");
    const chars = [...key];
    const bad = chars.findIndex((ch) => !isKeyChar(ch));
    if (bad >= 0) {
      // Only the name before the bad character is shown: what follows may be a secret's value
      // (`CREDS_KEY 0123...` with a blank for the `=`).
      const name = chars.slice(0, bad).join("");
      const what = /\s/.test(chars[bad]!) ? "a blank" : `the character ${JSON.stringify(chars[bad])}`;
      problem(
        start,
        name ? `${what} after the name ${clipped(name)} where \`=\` should be` : `${what} where a name should start`,
        name ? `write ${clipped(name)}=VALUE` : "write NAME=VALUE, the name of letters, digits and _",
      );
      continue;
    }
    if (i >= n || text[i] === "\n") {
      // A bare name: Compose passes the variable through from its own environment.
      if (key !== "") entries.push({ key, value: "", line: start, endLine: start, inherited: true, interpolates: false });
      continue;
    }
    if (key === "") {
      problem(start, "a line that starts with `=`: a value without a name", "write NAME=VALUE");
      continue;
    }
    if (text[i] === ":") {
      // Compose also reads `KEY: value`; llm does not, so a line that looks like YAML is never
      // read differently by a person and by the tool.
      problem(start, `${key}: is written as \`${key}: ...\``, `write ${key}=VALUE`);
      continue;
    }
    i++; // past "="
    while (isBlank(text[i])) i++;
    const quote = text[i];
    if (quote === "'" || quote === '"') {
      // Quoted: up to the next quote not preceded by a backslash, across lines if need be; a
      // backslash before the quote is dropped, any other stays as written (compose-go).
      let raw = "";
      let closed = false;
      for (i++; i < n; i++) {
        const ch = text[i]!;
        if (ch === "\n") line++;
        if (ch === "\\" && i + 1 < n) {
          const next = text[i + 1]!;
          raw += next === quote ? quote : `\\${next}`;
          if (next === "\n") line++;
          i++;
          continue;
        }
        if (ch === quote) {
          closed = true;
          i++;
          break;
        }
        raw += ch;
      }
      if (!closed) {
        problems.push({
          line: start,
          message: `${key}: the ${quote === '"' ? "double" : "single"} quote that opens its value is never closed`,
          hint: `close the quote, or write ${key}=VALUE without quotes`,
        });
        break;
      }
      // After the closing quote, only blanks or a comment.
      while (isBlank(text[i])) i++;
      if (i < n && text[i] !== "\n" && text[i] !== "#") {
        problem(line, `${key}: unexpected text after the closing quote`, "put a comment after a # or remove the text");
        continue;
      }
      const expanded = quote === '"' ? interpolation(expandEscapes(raw)) : { value: raw, interpolates: false };
      entries.push({ key, value: expanded.value, line: start, endLine: line, inherited: false, interpolates: expanded.interpolates });
      continue;
    }
    // Unquoted: to the end of the line; ` #` starts a comment; trailing blanks go.
    const valueStart = i;
    skipToLineEnd();
    let raw = text.slice(valueStart, i);
    const comment = raw.indexOf(" #");
    if (comment >= 0) raw = raw.slice(0, comment);
    raw = raw.replace(/\s+$/u, "");
    const expanded = interpolation(raw);
    entries.push({ key, value: expanded.value, line: start, endLine: start, inherited: false, interpolates: expanded.interpolates });
  }
  return { entries, problems };
}

const clipped = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);
