// The secrets file: created once, read back on every run, extended with missing secrets only.
// Lines this tool did not write (a user's own API keys) are kept byte for byte.
import { LlmError, type Diagnostic, type Result, fail, ok } from "../errors.js";
import { MANIFEST_FILE, SECRETS_FILE } from "../layout.js";
import type { SecretSpec } from "../stack/secret-specs.js";
import { didYouMean } from "../util/did-you-mean.js";
import { parseDotenv, type DotenvEntry } from "./dotenv.js";

export type RandomString = (alphabet: string, length: number) => string;

export interface SecretsPlan {
  /** The full file to write; equal to the input when nothing was missing. */
  text: string;
  added: string[];
  /** Secrets the folder had (the manifest names them) that guard stored data, added anew because
   * their data folder holds nothing yet (a fresh clone of a committed folder, a new machine). */
  renewed: { names: string[]; folder: string }[];
  /** Names present in the file, with their line numbers (values stay inside this module's callers). */
  values: Map<string, string>;
}

/** What a run knows about the secrets beyond the file: which ones this folder had before (the
 * manifest records their names), which ones the user accepts as new (`--new-secret`), and which
 * services' data folders hold data. */
export interface SecretsHistory {
  recorded: ReadonlySet<string>;
  accepted: ReadonlySet<string>;
  /** Each service's data folder and whether anything is in it. A service with none listed here
   * counts as holding data: a lost secret guarding it is never replaced unasked. */
  dataFolders: ReadonlyMap<string, { path: string; hasData: boolean }>;
}

const NO_HISTORY: SecretsHistory = { recorded: new Set(), accepted: new Set(), dataFolders: new Map() };

const HEADER = [
  "# Secrets for the local-llm-stack. Generated once by `llm generate`, then only read back.",
  "# Keep this file private (mode 0600) and out of git. Back it up: CREDS_KEY and CREDS_IV",
  "# decrypt data stored by LibreChat. Add your own keys (e.g. OPENROUTER_KEY=...) below.",
  "",
].join("\n");

/** The comment a new secrets.env starts with. */
export const secretsHeader = () => HEADER;

/** Every variable in the file as Compose reads it (the last of a name wins, as in Compose), with
 * its first line; lines Compose would not read are left out (readSecrets reports them). */
export function parseSecrets(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  for (const entry of parseDotenv(text).entries) out.set(entry.key, { value: entry.value, line: entry.line });
  return out;
}

const problemsOf = (text: string): Diagnostic[] =>
  parseDotenv(text).problems.map((p) => ({ file: SECRETS_FILE, path: `line ${p.line}`, message: p.message, hint: p.hint }));

/** Near misses for a missing secret: a line with its name in other letters or misspelt, or
 * commented out. Names and line numbers only, never a value. */
function nearMisses(name: string, text: string, entries: readonly DotenvEntry[], known: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    // Another secret llm knows (CREDS_IV for CREDS_KEY) is not a misspelling of this one.
    if (known.has(entry.key)) continue;
    if (entry.key.toUpperCase() === name || didYouMean(entry.key, [name]) === name) out.push(`line ${entry.line} sets ${entry.key}: did you mean ${name}?`);
  }
  text.split("\n").forEach((line, index) => {
    if (new RegExp(`^\\s*#+\\s*(export\\s+)?${name}\\s*[=:]`).test(line)) out.push(`line ${index + 1} holds ${name} but is commented out`);
  });
  return out;
}

/** "A", "A and B", "A, B and C". */
const listed = (items: readonly string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`);

export function planSecrets(
  existing: string | null,
  specs: readonly SecretSpec[],
  random: RandomString,
  history: SecretsHistory = NO_HISTORY,
): Result<SecretsPlan> {
  const text = existing ?? "";
  const parsed = parseDotenv(text);
  const problems: Diagnostic[] = problemsOf(text);
  const lost: Diagnostic[] = [];
  const lostFolders = new Set<string>();
  const renewed: SecretsPlan["renewed"] = [];
  const byName = new Map<string, DotenvEntry[]>();
  for (const entry of parsed.entries) byName.set(entry.key, [...(byName.get(entry.key) ?? []), entry]);
  const values = new Map<string, string>();
  const added: string[] = [];
  const newLines: string[] = [];

  for (const spec of specs) {
    const found = byName.get(spec.name);
    const last = found?.[found.length - 1];
    if (found && last) {
      const at = `${spec.name} (line ${last.line})`;
      const fix = `replace the ${spec.name} line with the value from your backup; \`llm secrets rotate ${spec.name}\` writes a new one${spec.rotationWarning ? ` (${spec.rotationWarning})` : ""}`;
      if (found.length > 1) {
        problems.push({
          file: SECRETS_FILE,
          path: at,
          message: `set ${found.length} times (lines ${found.map((e) => e.line).join(", ")}); Compose uses the last`,
          hint: "keep the one line that holds the right value",
        });
      } else if (last.inherited) {
        problems.push({ file: SECRETS_FILE, path: at, message: "has no value (Compose would take it from the environment it runs in)", hint: fix });
      } else if (last.interpolates) {
        problems.push({
          file: SECRETS_FILE,
          path: at,
          message: "holds a $ that Compose would replace with a variable",
          hint: `write $$ for a literal $, or quote the value in single quotes`,
        });
      } else if (!spec.valid(last.value)) {
        problems.push({ file: SECRETS_FILE, path: at, message: `expected ${spec.expected}, found a value of ${last.value.length} characters`, hint: fix });
      }
      values.set(spec.name, last.value);
      continue;
    }
    const guarded = spec.guardsDataOf;
    if (guarded !== undefined && history.recorded.has(spec.name) && !history.accepted.has(spec.name)) {
      const folder = history.dataFolders.get(guarded);
      if (folder === undefined || folder.hasData) {
        const misses = nearMisses(spec.name, text, parsed.entries, new Set(specs.map((other) => other.name)));
        const where = folder ? ` and ${folder.path} holds the ${guarded} data it protects` : "";
        lost.push({
          file: SECRETS_FILE,
          path: spec.name,
          message: `missing, but this folder had it (its name is in ${MANIFEST_FILE})${where}; a new value would mean: ${spec.rotationWarning ?? "data stored with the old one is lost"}`,
          hint:
            misses.length > 0
              ? `${misses.join("; ")}: restore the line as ${spec.name}=VALUE`
              : `restore the ${spec.name}=VALUE line from your backup of ${SECRETS_FILE}`,
        });
        lostFolders.add(folder?.path ?? `${guarded}'s data`);
        continue;
      }
      const group = renewed.find((r) => r.folder === folder.path);
      if (group) group.names.push(spec.name);
      else renewed.push({ names: [spec.name], folder: folder.path });
    }
    const value = random(spec.alphabet, spec.length);
    values.set(spec.name, value);
    added.push(spec.name);
    newLines.push(`${spec.name}=${value}`);
  }
  if (problems.length > 0) {
    return fail(
      new LlmError("SECRETS_INVALID", `${SECRETS_FILE} has ${problems.length} problem${problems.length === 1 ? "" : "s"}`, {
        diagnostics: problems,
        hint: `fix the lines above in ${SECRETS_FILE}; nothing was changed`,
      }),
    );
  }
  if (lost.length > 0) {
    const names = lost.map((d) => d.path);
    const them = names.length === 1 ? "it" : "them";
    return fail(
      new LlmError(
        "SECRET_LOST",
        `${listed(names)} ${names.length === 1 ? "is" : "are"} missing from ${SECRETS_FILE}, and llm will not silently replace ${them}`,
        {
          diagnostics: lost,
          hint: `restore ${SECRETS_FILE} (or the line${names.length === 1 ? "" : "s"}) from a backup and run the command again; to give up what ${them === "it" ? "it protects" : "they protect"} in ${listed([...lostFolders])} instead (it becomes unreadable for good), accept new values: llm generate ${names.map((name) => `--new-secret ${name}`).join(" ")}`,
        },
      ),
    );
  }
  if (newLines.length === 0) return ok({ text, added, renewed, values });
  let base = existing ?? HEADER;
  if (base.length > 0 && !base.endsWith("\n")) base += "\n";
  return ok({ text: `${base}${newLines.join("\n")}\n`, added, renewed, values });
}
