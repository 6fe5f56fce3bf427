// Formatting only: how a value is spelled in YAML or in an env file. No decisions about content.
import { stringify } from "yaml";

// YAML 1.1 rules decide quoting, so PyYAML-based tools (docker-compose v1) read "on", "no" or
// "3080:3080" as the strings we meant; YAML 1.2 parsers read the result the same way.
const YAML_OPTIONS = { version: "1.1", lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true, aliasDuplicateObjects: false } as const;

export function toYaml(value: unknown, indent = 0): string {
  const text = stringify(value, YAML_OPTIONS).replace(/\n$/, "");
  if (indent === 0) return text;
  const pad = " ".repeat(indent);
  return text
    .split("\n")
    .map((line) => (line ? pad + line : line))
    .join("\n");
}

/** A scalar that can stand after `key: ` on one line. */
export function yamlScalar(value: unknown): string {
  if (typeof value !== "string") return toYaml(value);
  const plain = toYaml(value);
  return plain.includes("\n") ? JSON.stringify(value) : plain;
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
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\$/g, "$$$$");
  return `"${escaped}"`;
}

/** One comment line: a value that holds a newline must not end the comment early. */
export function comment(value: string): string {
  return value.replace(/[\r\n]+/g, " ");
}
