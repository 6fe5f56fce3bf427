// Formatting only: how a value is spelled in YAML or in an env file. No decisions about content.
import { emitScalar, emitYaml } from "./yaml-emit.js";

/** A YAML sub-tree, every line indented by `indent` spaces (see yaml-emit.ts for the quoting). */
export function toYaml(value: unknown, indent = 0): string {
  return emitYaml(value, indent);
}

/** A scalar that can stand after `key: ` on one line. */
export function yamlScalar(value: unknown): string {
  return emitScalar(value);
}

const ENV_PLAIN = /^[A-Za-z0-9_./:@%+,=-]*$/;

/**
 * A value for a Compose env file. Unquoted and double-quoted values are interpolated by Compose,
 * single-quoted ones are literal but cannot hold a quote or end in a backslash; double quotes take
 * the rest, with `$$` for a literal `$` and escapes for quotes, backslashes and newlines.
 */
export function envValue(value: string): string {
  if (ENV_PLAIN.test(value)) return value;
  if (!/['\n\r\\]/.test(value)) return `'${value}'`;
  const escaped = value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\$/g, "$$$$");
  return `"${escaped}"`;
}

/** One comment line: a value that holds a newline must not end the comment early. */
export function comment(value: string): string {
  return value.replace(/[\r\n]+/g, " ");
}
