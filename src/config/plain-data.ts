// A loaded config is copied into plain data before anything walks it. Everything after (null
// handling, validation, merging, diagnostics) recurses over the value, so what a file or a
// config's code can hand over must be bounded first: a cycle would recurse forever, 20,000
// levels overflow the stack, a YAML alias bomb (a few hundred bytes naming the same lists again
// and again) expands to billions of values, and a getter, a Map or a function is not data.
import type { Diagnostic } from "../errors.js";
import { appendPath } from "../util/json-path.js";

/** Far beyond the schema (about 5 levels) and far below what recursion can take. */
const MAX_DEPTH = 64;
/** Values counted as they are visited, each YAML alias as often as it is used: 100,000 models and
 * 10,000 endpoints are ~200,000. */
const MAX_VALUES = 2_000_000;

type PlainData = { ok: true; value: unknown } | { ok: false; problem: Diagnostic };

function kindOf(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return "a BigInt";
  if (typeof value === "symbol") return "a symbol";
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? `a ${name}` : "an object with a prototype of its own";
}

/** Object.prototype of this realm or another (a config run in a vm context), or none. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A copy of `value` holding only strings, numbers, booleans, null, lists and plain objects
 * (`undefined` properties are dropped, as JSON would), or the first problem with its path. */
export function plainData(value: unknown, file: string): PlainData {
  let count = 0;
  const ancestors = new Set<object>();
  const seen = new Set<object>();
  const shared = new Set<object>();
  // The path is kept as segments and joined only for a problem: joining it at every value would
  // copy a long key into every path below it.
  const segments: (string | number)[] = [];
  const here = () => segments.reduce<string>((at, segment) => appendPath(at, segment), "");
  const problem = (path: string, message: string, hint: string): PlainData => ({ ok: false, problem: { file, path, message, hint } });

  const copy = (current: unknown, depth: number): PlainData => {
    if (++count > MAX_VALUES) {
      const aliases = shared.size > 0 ? ": the same lists or maps are used again and again (YAML aliases or shared references expand each time)" : "";
      return problem(
        "",
        `holds more than ${MAX_VALUES.toLocaleString("en-US")} values${aliases}`,
        "a config holds a few hundred values: remove the repetition",
      );
    }
    if (current === null || typeof current === "string" || typeof current === "number" || typeof current === "boolean" || current === undefined)
      return { ok: true, value: current };
    if (typeof current !== "object")
      return problem(
        here(),
        `expected plain data (text, numbers, true/false, lists, objects), found ${kindOf(current)}`,
        "export only data: call functions and build values in code before exporting them",
      );
    if (depth >= MAX_DEPTH) return problem(here(), `nested more than ${MAX_DEPTH} levels deep`, "a config is a few levels of plain data: flatten it");
    if (ancestors.has(current))
      return problem(
        here(),
        "refers back to a value that contains it (a circular reference)",
        "export plain data: copy the value instead of referring to itself",
      );
    const isArray = Array.isArray(current);
    if (!isArray && !isPlainObject(current))
      return problem(
        here(),
        `expected plain data (text, numbers, true/false, lists, objects), found ${kindOf(current)}`,
        "convert it to a plain object or list before exporting it",
      );
    if (seen.has(current)) shared.add(current);
    seen.add(current);
    ancestors.add(current);
    try {
      if (isArray) {
        const list = current as unknown[];
        const out: unknown[] = [];
        for (let i = 0; i < list.length; i++) {
          segments.push(i);
          const item = copy(list[i], depth + 1);
          segments.pop();
          if (!item.ok) return item;
          out.push(item.value);
        }
        return { ok: true, value: out };
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(current)) {
        segments.push(key);
        let child: unknown;
        try {
          child = (current as Record<string, unknown>)[key];
        } catch (error) {
          return problem(
            here(),
            `reading it threw: ${error instanceof Error ? error.message : "a value that is not an Error"}`,
            "export plain data, not getters",
          );
        }
        const item = copy(child, depth + 1);
        segments.pop();
        if (!item.ok) return item;
        // Defined like JSON.parse does, so a key named __proto__ stays a key.
        if (item.value !== undefined) Object.defineProperty(out, key, { value: item.value, enumerable: true, writable: true, configurable: true });
      }
      return { ok: true, value: out };
    } finally {
      ancestors.delete(current);
    }
  };
  try {
    return copy(value, 0);
  } catch (error) {
    // A Proxy's traps, a revoked Proxy: whatever reading the value threw.
    return problem(here(), `reading it threw: ${error instanceof Error ? error.message : "a value that is not an Error"}`, "export plain data");
  }
}
