// A line of secrets.env reaches LibreChat after the committed .env (secrets/librechat.env is read
// last), so a variable llm wires (REDIS_URI, HOST, CONFIG_PATH, MONGO_URI...) set there undoes the
// wiring while every check of the config passes. Refused by name and line, never by value.
import { LlmError, type Diagnostic, type Result, fail, ok } from "../errors.js";
import { SECRETS_FILE } from "../layout.js";
import { wiredVariable } from "../stack/env-rules.js";
import { parseSecrets } from "./store.js";

/** What to do instead of keeping `name` in secrets.env, or undefined when it is no wired name. */
export function wiredProblem(name: string): { message: string; hint: string } | undefined {
  const wired = wiredVariable(name);
  if (!wired) return undefined;
  const instead = wired.typed ? `set ${wired.typed} in the config` : "llm sets it itself";
  return {
    message:
      wired.service === "LibreChat"
        ? `${name} is wired by llm${wired.typed ? ` from ${wired.typed}` : ""}: ${wired.why}; in ${SECRETS_FILE} it would reach LibreChat after the committed .env and undo that`
        : `${name} is Ollama's, wired by llm${wired.typed ? ` from ${wired.typed}` : ""}: ${wired.why}; ${SECRETS_FILE} reaches LibreChat only`,
    hint: instead,
  };
}

/** Refuses a secrets.env holding a variable llm wires. */
export function checkWiredSecrets(text: string | null): Result<void> {
  const diagnostics: Diagnostic[] = [];
  const names: string[] = [];
  for (const [name, entry] of parseSecrets(text ?? "")) {
    const problem = wiredProblem(name);
    if (!problem) continue;
    names.push(name);
    diagnostics.push({ file: SECRETS_FILE, path: `${name} (line ${entry.line})`, message: problem.message, hint: `remove the line; ${problem.hint}` });
  }
  if (diagnostics.length === 0) return ok(undefined);
  return fail(
    new LlmError("SECRETS_INVALID", `${SECRETS_FILE} sets ${names.join(", ")}, which llm wires itself`, {
      diagnostics,
      hint: `remove ${diagnostics.length === 1 ? "that line" : "those lines"} from ${SECRETS_FILE} (keys of your own go there: \`llm secrets set NAME\`)`,
    }),
  );
}
