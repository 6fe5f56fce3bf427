// Turns ajv's errors into diagnostics a person can act on: where (file + path), what was expected,
// what was found, and a "did you mean" for misspelt keys and enum values.
import type { ErrorObject } from "ajv";
import schema from "../../schemas/llm.config.schema.json" with { type: "json" };
import type { Diagnostic } from "../errors.js";
import { didYouMean } from "../util/did-you-mean.js";
import { appendPath, getAt, pointerSegments, pointerToPath } from "../util/json-path.js";

type SchemaNode = Record<string, unknown>;

function schemaNodeAt(segments: readonly string[]): SchemaNode | undefined {
  let node: unknown = schema;
  for (const segment of segments) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as SchemaNode)[segment];
  }
  return node && typeof node === "object" ? (node as SchemaNode) : undefined;
}

/** The node itself, or the definition its `$ref` points at. */
function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  const ref = node?.["$ref"];
  return typeof ref === "string" ? schemaNodeAt(pointerSegments(ref.replace(/^#/, ""))) : node;
}

/** The schema node that owns the failing keyword. */
function ownerNode(error: ErrorObject): SchemaNode | undefined {
  return deref(schemaNodeAt(pointerSegments(error.schemaPath.replace(/^#/, "")).slice(0, -1)));
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list (${truncate(JSON.stringify(value))})`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return quoted(value);
  return String(value);
}

/** Users' text as diagnostics echo it: quoted, and cut short (a key can be 10 MB long). */
const ECHO_LIMIT = 80;
function quoted(text: string, max = ECHO_LIMIT): string {
  return text.length > max ? `${JSON.stringify(clip(text, max))} (${text.length} characters)` : JSON.stringify(text);
}

/** `text` cut to `max` characters, the last one an ellipsis. */
function clip(text: string, max = ECHO_LIMIT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  null: "null",
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(" or ");
}

function rangeWords(node: SchemaNode | undefined): string {
  const noun = node?.["type"] === "integer" ? "a whole number" : "a number";
  const min = node?.["minimum"];
  const exclusiveMin = node?.["exclusiveMinimum"];
  const max = node?.["maximum"];
  const low = min !== undefined ? `from ${min}` : exclusiveMin !== undefined ? `greater than ${exclusiveMin}` : "";
  const high = max !== undefined ? (min !== undefined ? `to ${max}` : low ? `and at most ${max}` : `up to ${max}`) : "";
  return [noun, low, high].filter(Boolean).join(" ");
}

function expectedWords(node: SchemaNode | undefined, fallback: string): string {
  const custom = node?.["x-expected"];
  return typeof custom === "string" ? custom : fallback;
}

function unknownKey(file: string, at: string, key: string, allowed: string[]): Diagnostic {
  const suggestion = didYouMean(key, allowed);
  return {
    file,
    path: appendPath(at, clip(key)),
    message: `unknown key ${quoted(key)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""} (expected one of: ${allowed.join(", ")})`,
    hint: suggestion ? `rename ${JSON.stringify(key)} to ${JSON.stringify(suggestion)}` : `remove ${quoted(key)}`,
  };
}

/** A layer's `key: null` deletes a value; it must still name a key the schema knows. */
export function unknownKeyDiagnostic(segments: readonly string[], file: string): Diagnostic | undefined {
  let node: SchemaNode | undefined = schema as SchemaNode;
  let at = "";
  for (const [index, segment] of segments.entries()) {
    node = deref(node);
    if (!node) return undefined;
    if (/^\d+$/.test(segment) && node["items"]) {
      node = node["items"] as SchemaNode;
    } else {
      const properties = node["properties"] as Record<string, SchemaNode> | undefined;
      const known = properties?.[segment];
      if (known) node = known;
      else if (node["additionalProperties"] && typeof node["additionalProperties"] === "object") node = node["additionalProperties"] as SchemaNode;
      // An unknown key above the null is reported by the validator already.
      else return index === segments.length - 1 ? unknownKey(file, at, segment, Object.keys(properties ?? {})) : undefined;
    }
    at = appendPath(at, segment);
  }
  return undefined;
}

function describeError(error: ErrorObject, data: unknown, file: string): Diagnostic | undefined {
  const at = pointerToPath(error.instancePath);
  const found = getAt(data, error.instancePath);
  const node = ownerNode(error);
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case "additionalProperties":
      return unknownKey(file, at, String(params["additionalProperty"]), Object.keys((node?.["properties"] as SchemaNode | undefined) ?? {}));
    case "required": {
      const key = String(params["missingProperty"]);
      return { file, path: appendPath(at, key), message: `missing required key ${JSON.stringify(key)}`, hint: `add ${JSON.stringify(key)}` };
    }
    case "enum": {
      const allowed = (params["allowedValues"] as unknown[]).map(String);
      const suggestion = typeof found === "string" ? didYouMean(found, allowed) : undefined;
      return {
        file,
        path: at,
        message: `expected one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}, found ${describeValue(found)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`,
        ...(suggestion ? { hint: `use ${JSON.stringify(suggestion)}` } : {}),
      };
    }
    case "type":
      return { file, path: at, message: `expected ${expectedWords(node, typeWords(params["type"]))}, found ${describeValue(found)}` };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return { file, path: at, message: `expected ${rangeWords(node)}, found ${describeValue(found)}` };
    case "uniqueItems": {
      // ajv's two loops name the pair in opposite orders: the hashing one (lists of scalars) gives
      // the earlier index as i, the pairwise one the later.
      const [a, b] = [Number(params["i"]), Number(params["j"])];
      const [later, earlier] = [Math.max(a, b), Math.min(a, b)];
      const item = Array.isArray(found) ? found[later] : undefined;
      return {
        file,
        path: appendPath(at, later),
        message: `duplicate entry ${describeValue(item)}, already listed at ${appendPath(at, earlier)}`,
        hint: "list each entry once",
      };
    }
    case "minItems":
      return {
        file,
        path: at,
        message: `expected at least ${String(params["limit"])} entr${params["limit"] === 1 ? "y" : "ies"}, found ${describeValue(found)}`,
      };
    case "minLength":
      return { file, path: at, message: `expected ${expectedWords(node, "a non-empty string")}, found ${describeValue(found)}` };
    case "maxLength":
      return { file, path: at, message: `expected at most ${String(params["limit"])} characters, found ${String(found).length}` };
    case "propertyNames": {
      const name = String(params["propertyName"]);
      const names = node?.["propertyNames"] as SchemaNode | undefined;
      return { file, path: appendPath(at, clip(name)), message: `invalid key ${quoted(name)}: expected ${expectedWords(names, "a valid name")}` };
    }
    case "pattern":
    case "not":
    case "oneOf":
    case "format":
      return {
        file,
        path: at,
        message: `expected ${expectedWords(node, `a value matching ${String(params["pattern"] ?? "the schema")}`)}, found ${describeValue(found)}`,
      };
    default:
      return { file, path: at, message: error.message ?? `invalid (${error.keyword})` };
  }
}

interface Restated {
  /** Schema paths of errors whose inner errors only restate them (a oneOf, a propertyNames). */
  schemaPaths: Set<string>;
  /** Values a oneOf failed on: a oneOf's branches may be $refs, whose errors carry the
   * definition's schema path, so those are recognised by the value they are about. */
  oneOfValues: Set<string>;
}

function restatedBy(errors: readonly ErrorObject[]): Restated {
  const out: Restated = { schemaPaths: new Set(), oneOfValues: new Set() };
  for (const error of errors) {
    if (error.keyword === "oneOf" || error.keyword === "propertyNames") out.schemaPaths.add(error.schemaPath);
    if (error.keyword === "oneOf") out.oneOfValues.add(error.instancePath);
  }
  return out;
}

/** Whether `path` or a prefix of it ending before a `/` is in `set`. */
function coveredBy(path: string, set: ReadonlySet<string>, self: boolean): boolean {
  if (self && set.has(path)) return true;
  for (let slash = path.indexOf("/"); slash >= 0; slash = path.indexOf("/", slash + 1)) {
    if (set.has(path.slice(0, slash))) return true;
  }
  return false;
}

/** Errors that only restate another one: inside a oneOf or propertyNames error (its schema path
 * extends theirs), about a value a oneOf failed on (or one inside it), or an `if`. Looked up by
 * prefix, not by comparing every pair: a config can have 200,000 errors. */
function isNoise(error: ErrorObject, restated: Restated): boolean {
  if (error.keyword === "if") return true;
  if (restated.schemaPaths.size > 0 && coveredBy(error.schemaPath, restated.schemaPaths, false)) return true;
  return error.keyword !== "oneOf" && restated.oneOfValues.size > 0 && coveredBy(error.instancePath, restated.oneOfValues, true);
}

export function diagnose(errors: readonly ErrorObject[] | null | undefined, data: unknown, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const restated = restatedBy(errors ?? []);
  for (const error of errors ?? []) {
    if (isNoise(error, restated)) continue;
    const described = describeError(error, data, file);
    if (!described) continue;
    // A path through a long key (inside a 10 MB key's value, say) is shown cut short too.
    const diagnostic = described.path.length > 4 * ECHO_LIMIT ? { ...described, path: clip(described.path, 4 * ECHO_LIMIT) } : described;
    const key = `${diagnostic.path}\u0000${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  return out;
}
