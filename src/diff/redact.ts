// Secret values never reach a diff unless the user asks (`--show-secrets`). Values are removed
// before diffing, so no hunk, context line or header can carry one.
import type { FileRole } from "./changes.js";
import { redactAssignments } from "./foreign-secrets.js";

export type Redactor = (text: string, role: FileRole) => string;

const REDACTED = "<redacted>";
const NEW_SECRET = "<new random value>";

/** Shorter values (a user's `DEBUG=1` in secrets.env) are not searched for in other files: they
 * would blank out ordinary words. The secrets file itself is redacted line by line. */
const MIN_SEARCHED = 8;

export interface RedactionInput {
  /** Every value in the secrets file, before and after this run (the user's own keys too). */
  values: readonly string[];
  /** Values this run would create: not final until written, so never shown as such. */
  created: readonly string[];
  /** Secret-looking values of the files a run would overwrite that are not the tool's (a
   * hand-written LibreChat `.env`): hidden on their own lines, whatever their length, and
   * everywhere else like the secrets file's. */
  foreign?: readonly string[];
  reveal: boolean;
}

function replaceAll(text: string, values: readonly string[], label: string): string {
  let out = text;
  for (const value of [...new Set(values)].filter((v) => v.length >= MIN_SEARCHED).sort((a, b) => b.length - a.length)) {
    out = out.split(value).join(label);
  }
  return out;
}

const ASSIGNMENT = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=).*$/;

export function secretRedactor(input: RedactionInput): Redactor {
  const foreign = new Set(input.foreign ?? []);
  return (text, role) => {
    let out = replaceAll(text, input.created, NEW_SECRET);
    if (input.reveal) return out;
    // The secrets file and the private files derived from it (env files, a token, an htpasswd
    // line, a configuration with a password): a comment or a name may show, nothing else does.
    if (role === "secrets" || role === "private") {
      out = out
        .split("\n")
        .map((line) => {
          if (/^\s*(#|$)/.test(line) || line === NEW_SECRET) return line;
          // Not KEY=VALUE: nothing tells which part is secret, so none of it is shown.
          if (!ASSIGNMENT.test(line)) return REDACTED;
          return line.replace(ASSIGNMENT, (_, key: string) => `${key}${line.includes(NEW_SECRET) ? NEW_SECRET : REDACTED}`);
        })
        .join("\n");
    }
    if (role !== "secrets" && role !== "private") out = redactAssignments(out, foreign, REDACTED);
    return replaceAll(out, [...input.values, ...foreign], REDACTED);
  };
}
