// A YAML writer for plain data (maps, lists, strings, numbers, booleans, null), the only shapes
// our outputs hold. The `yaml` and js-yaml writers spend 25–60 ms on a 10 KB compose file before
// the JIT warms up (they test every string against every implicit type); this one decides quoting
// with two regular expressions, so `llm generate` stays near a bare Node start. Correctness is
// pinned by test/yaml-emit.test.ts: random trees written here read back identically with js-yaml
// (YAML 1.2) and with the `yaml` package in YAML 1.1 mode (what PyYAML-based tools assume).

/** Safe as a plain scalar in YAML 1.1 and 1.2 alike: starts with a letter, digit, `_`, `.` or
 * `/`, holds no space, quote, comment or flow indicator, and does not end with `:`. */
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./@%+=:-]*$/;
/** Words YAML 1.1 reads as booleans or null. */
const RESERVED = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;
/** Anything a YAML 1.1 or 1.2 reader might take for a number, a sexagesimal or a date. */
const NUMERIC_LOOKING = /^[-+.0-9][0-9a-fA-FxXoObB_.:+-]*$|^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$|^[eE][-+]?[0-9]+$/;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as YAML`);
    return String(value);
  }
  const text = String(value);
  if (PLAIN.test(text) && !text.endsWith(":") && !RESERVED.test(text) && !NUMERIC_LOOKING.test(text)) return text;
  // JSON's double-quoted strings are YAML double-quoted strings; escape what JSON leaves raw but
  // YAML 1.1 treats as a line break or forbids.
  return JSON.stringify(text).replace(/[\u0085\u2028\u2029\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const isEmptyCollection = (value: unknown) => (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0);
const isBlock = (value: unknown) => (Array.isArray(value) || isMap(value)) && !isEmptyCollection(value);
const inline = (value: unknown) => (Array.isArray(value) ? "[]" : isMap(value) ? "{}" : scalar(value));

/** Appends `value`'s lines to `out`, each indented by `pad`, except the first, which starts with
 * `lead` instead (a list item's dash: the item's first line goes after it, the rest align under). */
function lines(value: unknown, pad: string, out: string[], lead = pad): void {
  // Indexed loops: this runs once per line written, and a for-of loop in code that has not been
  // optimized yet allocates an iterator result per step.
  let prefix = lead;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (isBlock(item)) lines(item, `${pad}  `, out, `${prefix}- `);
      else out.push(`${prefix}- ${inline(item)}`);
      prefix = pad;
    }
    return;
  }
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = map[key];
    if (isBlock(item)) {
      out.push(`${prefix}${scalar(key)}:`);
      lines(item, `${pad}  `, out);
    } else out.push(`${prefix}${scalar(key)}: ${inline(item)}`);
    prefix = pad;
  }
}

/** `value` as block YAML, every line indented by `indent` spaces, without a trailing newline. */
export function emitYaml(value: unknown, indent = 0): string {
  if (!isBlock(value)) return " ".repeat(indent) + inline(value);
  const out: string[] = [];
  lines(value, " ".repeat(indent), out);
  return out.join("\n");
}

/** A scalar that can stand after `key: ` on one line. */
export function emitScalar(value: unknown): string {
  return scalar(value);
}
