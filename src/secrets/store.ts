// The secrets file: created once, read back on every run, extended with missing secrets only.
// Lines this tool did not write (a user's own API keys) are kept byte for byte.
import { LlmError, type Diagnostic, type Result, fail, ok } from "../errors.js";
import { SECRETS_FILE } from "../layout.js";
import type { SecretSpec } from "../stack/secret-specs.js";

export type RandomString = (alphabet: string, length: number) => string;

export interface SecretsPlan {
  /** The full file to write; equal to the input when nothing was missing. */
  text: string;
  added: string[];
  /** Names present in the file, with their line numbers (values stay inside this module's callers). */
  values: Map<string, string>;
}

const HEADER = [
  "# Secrets for the local-llm-stack. Generated once by `llm generate`, then only read back.",
  "# Keep this file private (mode 0600) and out of git. Back it up: CREDS_KEY and CREDS_IV",
  "# decrypt data stored by LibreChat. Add your own keys (e.g. OPENROUTER_KEY=...) below.",
  "",
].join("\n");

// The value is trimmed after matching (a lazy `(.*?)\s*$` backtracks at every character); it
// may end in the \r of a file saved with Windows line endings, which trim() removes.
const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=([^\n]*)$/;

export function parseSecrets(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  text.split("\n").forEach((raw, index) => {
    if (/^\s*(#|$)/.test(raw)) return;
    const match = LINE.exec(raw);
    if (!match) return;
    let value = (match[2] ?? "").trim();
    if (/^'.*'$/.test(value) || /^".*"$/.test(value)) value = value.slice(1, -1);
    out.set(match[1] ?? "", { value, line: index + 1 });
  });
  return out;
}

export function planSecrets(existing: string | null, specs: readonly SecretSpec[], random: RandomString): Result<SecretsPlan> {
  const current = parseSecrets(existing ?? "");
  const problems: Diagnostic[] = [];
  const values = new Map<string, string>();
  const added: string[] = [];
  const newLines: string[] = [];

  for (const spec of specs) {
    const found = current.get(spec.name);
    if (found) {
      if (!spec.valid(found.value)) {
        problems.push({
          file: SECRETS_FILE,
          path: `${spec.name} (line ${found.line})`,
          message: `expected ${spec.expected}, found a value of ${found.value.length} characters`,
          hint: `delete the ${spec.name} line and run \`llm generate\` to create a new one${spec.rotationWarning ? ` (${spec.rotationWarning})` : ""}`,
        });
      }
      values.set(spec.name, found.value);
      continue;
    }
    const value = random(spec.alphabet, spec.length);
    values.set(spec.name, value);
    added.push(spec.name);
    newLines.push(`${spec.name}=${value}`);
  }
  if (problems.length > 0) {
    return fail(
      new LlmError("SECRETS_INVALID", `${SECRETS_FILE} has ${problems.length} invalid secret${problems.length === 1 ? "" : "s"}`, { diagnostics: problems }),
    );
  }
  if (newLines.length === 0) return ok({ text: existing ?? "", added, values });
  let base = existing ?? HEADER;
  if (base.length > 0 && !base.endsWith("\n")) base += "\n";
  return ok({ text: `${base}${newLines.join("\n")}\n`, added, values });
}
