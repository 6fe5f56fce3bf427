// `generate --force` over a file the tool did not write never throws a secret away: each secret
// of an env file (a hand-written LibreChat `.env`) moves into secrets.env with its value exactly
// as it was, under its own name, so LibreChat still gets it; a secret that has no name to move
// under (inside YAML), whose name llm wires itself, or whose name secrets.env already holds with
// another value, stops the run.
import { isEnvFile, type ForeignSecret } from "../diff/foreign-secrets.js";
import { LlmError, type Diagnostic, type Result, fail, ok } from "../errors.js";
import { SECRETS_FILE } from "../layout.js";
import { envValue } from "../render/format.js";
import { parseLibreChatEnv } from "./librechat-dotenv.js";
import { parseSecrets, secretsHeader } from "./store.js";
import { wiredProblem } from "./wired-lines.js";

export interface ForeignFile {
  path: string;
  /** The file as it is on disk. */
  text: string;
  secrets: readonly ForeignSecret[];
}

export interface MovedSecrets {
  /** secrets.env with the moved lines appended (the input when nothing moved). */
  text: string | null;
  moved: { file: string; names: string[] }[];
}

const ADOPT_HINT =
  "to take over a LibreChat folder, run `llm init --from DIR` in a new folder: it writes llm.config.ts and a secrets.env that keeps every value; otherwise copy each value you still need into secrets.env as NAME=VALUE (a value secrets.env holds is kept, and --force then goes ahead)";

export function moveForeignSecrets(secretsText: string | null, files: readonly ForeignFile[]): Result<MovedSecrets> {
  const present = parseSecrets(secretsText ?? "");
  const problems: Diagnostic[] = [];
  const moved: MovedSecrets["moved"] = [];
  const lines: string[] = [];
  const taken = new Map<string, string>();
  for (const file of files) {
    const names: string[] = [];
    // A .env is read by Compose (interpolation) and, in a LibreChat folder, by LibreChat's dotenv:
    // where the two disagree (a `#` in an unquoted value, backquotes) no one value is "the" value.
    const dotenv = isEnvFile(file.path) ? new Map(parseLibreChatEnv(file.text).map((entry) => [entry.key, entry.value])) : new Map<string, string>();
    for (const secret of file.secrets) {
      if (!isEnvFile(file.path) || secret.name === null) {
        problems.push({
          file: file.path,
          path: `line ${secret.line}`,
          message: `holds a secret${secret.name ? ` (${secret.name})` : ""} that --force would discard, and it has no variable name to keep it under in ${SECRETS_FILE}`,
        });
        continue;
      }
      const name = secret.name;
      // In secrets.env it would reach LibreChat after the committed .env (wired-lines.ts refuses it there).
      const wired = wiredProblem(name);
      if (wired) {
        problems.push({
          file: file.path,
          path: `${name} (line ${secret.line})`,
          message: `holds ${name}, which llm wires itself: --force would discard it, and ${SECRETS_FILE} cannot keep it`,
          hint: wired.hint,
        });
        continue;
      }
      const other = dotenv.get(name);
      if (other !== undefined && other !== secret.assigned) {
        problems.push({
          file: file.path,
          path: `${name} (line ${secret.line})`,
          message: "Compose and LibreChat's dotenv read this value differently (a # in an unquoted value, or backquotes), so llm cannot tell which one to keep",
          hint: `write the value in use into ${SECRETS_FILE} as ${name}=VALUE yourself (quoted if it holds a #)`,
        });
        continue;
      }
      const held = present.get(name)?.value ?? taken.get(name);
      if (held === secret.assigned || names.includes(name)) continue;
      if (held !== undefined) {
        problems.push({
          file: file.path,
          path: `${name} (line ${secret.line})`,
          message: `${SECRETS_FILE} already sets ${name} to another value; --force would discard this one`,
          hint: `keep the right one in ${SECRETS_FILE} and delete the ${name} line here`,
        });
        continue;
      }
      taken.set(name, secret.assigned);
      names.push(name);
    }
    if (names.length > 0) {
      moved.push({ file: file.path, names });
      lines.push(
        `# Moved from ${file.path} by \`llm generate --force\`, values unchanged.`,
        ...names.map((name) => `${name}=${envValue(taken.get(name) ?? "")}`),
      );
    }
  }
  if (problems.length > 0) {
    return fail(
      new LlmError(
        "FOREIGN_SECRETS",
        `refusing to overwrite ${problems.length === 1 ? "a file that holds a secret" : "files that hold secrets"} llm would lose`,
        {
          diagnostics: problems,
          hint: ADOPT_HINT,
        },
      ),
    );
  }
  if (lines.length === 0) return ok({ text: secretsText, moved });
  let base = secretsText ?? secretsHeader();
  if (base.length > 0 && !base.endsWith("\n")) base += "\n";
  return ok({ text: `${base}${lines.join("\n")}\n`, moved });
}
