// Files derived from secrets.env for the services that need each value, and only for them: an env
// file per service for what it reads as variables (LibreChat's keys and connection URIs,
// Meilisearch's master key, MongoDB's password), Prometheus' bearer token as a file (never in
// prometheus.yml), Grafana's admin password through GF_..._FILE, Redis' configuration with its
// password, Traefik's bcrypt htpasswd file. All are gitignored, in the 0700 secrets/ folder;
// secrets.env stays the single place a person reads or edits a secret.
import { InternalError } from "../errors.js";
import { crypto } from "../util/lazy-crypto.js";
import { sha256Hex } from "../util/sha256.js";
import type bcryptjs from "bcryptjs";
import type { FilePlan } from "../outputs/types.js";
import { envValue } from "../render/format.js";
import type { PrivateFile, SecretText } from "../stack/types.js";
import { SECRETS_FILE } from "../layout.js";

export type ReadText = (path: string) => Promise<string | null>;

type Bcrypt = typeof bcryptjs;

/** Traefik checks the hash on every request to an admin UI, so the cost is `htpasswd -B`'s
 * default (5, ~2 ms) rather than bcrypt's usual 10 (~65 ms): the generated password is 24 random
 * characters (~143 bits), far beyond reach of guessing whatever the cost. */
const BCRYPT_COST = 5;
/** secrets.env and what only Compose reads (env files): the user alone. */
export const PRIVATE_MODE = 0o600;

/** Loaded only for a stack with an htpasswd file. */
const loadBcrypt = async (): Promise<Bcrypt> => (await import("bcryptjs")).default;

const STANDARD_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BCRYPT_BASE64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** bcrypt's base64: the standard encoding's bits in another alphabet, without padding (what
 * bcryptjs' encodeBase64 writes; test/module-secrets.test.ts compares the two). */
export function bcryptBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString("base64")
    .replace(/=+$/, "")
    .replace(/[A-Za-z0-9+/]/g, (c) => BCRYPT_BASE64[STANDARD_BASE64.indexOf(c)]!);
}

/** A `user:$2y$05$<salt><hash>` line as this tool writes it; the hash part in bcryptjs' `$2b$` spelling. */
const LINE = /^([^:\n]+):\$2y\$(\d\d)\$([./A-Za-z0-9]{53})$/;

/** One htpasswd line with a bcrypt hash in the `$2y$` spelling Apache's `htpasswd -B` writes and
 * Traefik's basicAuth reads (the same algorithm as bcryptjs' `$2b$`). The salt is 16 random bytes
 * (it once came from an HMAC of the password: equal passwords gave equal lines, and the salt
 * alone checked a guess far faster than bcrypt). */
function htpasswdLine(bcrypt: Bcrypt, user: string, password: string, saltBytes: Uint8Array = crypto().randomBytes(16)): string {
  const salt = `$2b$0${BCRYPT_COST}$${bcryptBase64(saltBytes)}`;
  return `${user}:${bcrypt.hashSync(password, salt).replace(/^\$2[ab]\$/, "$2y$")}\n`;
}

/** Whether an existing htpasswd file holds exactly this user with this password, at this cost:
 * then it is kept as it is (its random salt included), so a second `generate` changes nothing.
 * Answered by bcrypt itself: the file holds nothing else to decide by. */
function htpasswdMatches(bcrypt: Bcrypt, existing: string | null, user: string, password: string): boolean {
  const lines = (existing ?? "").split("\n").filter((line) => line !== "");
  const match = lines.length === 1 ? LINE.exec(lines[0]!) : null;
  if (!match || match[1] !== user || Number(match[2]) !== BCRYPT_COST) return false;
  return bcrypt.compareSync(password, `$2b$${match[2]}$${match[3]}`);
}

/** Beside each htpasswd file: a record that its line was checked against secrets.env as it is.
 * bcrypt is slow by design (~15 ms before the JIT warms up, a seventh of a whole run), so the
 * check runs only when the line or secrets.env changed. The record is a SHA-256 of the user, the
 * line and the whole of secrets.env: no use as a shortcut for guessing the password, since its
 * input holds every other secret too (CREDS_KEY alone is 256 random bits); gitignored, 0600,
 * and mounted into no container, unlike the line itself. */
const checkedRecordOf = (htpasswdPath: string) => `${htpasswdPath}.checked`;

const checkedRecord = (user: string, line: string, secretsText: string) => `${sha256Hex(`htpasswd checked\0${user}\0${line}\0${secretsText}`)}\n`;

/** Every file planPrivateFiles reads and may write, for the caller to read first. */
export function privateFilePaths(files: readonly PrivateFile[]): string[] {
  return files.flatMap((file) => (file.content.kind === "htpasswd" ? [file.path, checkedRecordOf(file.path)] : [file.path]));
}

/** A value with the secrets in it filled in. */
function fill(text: SecretText, secrets: ReadonlyMap<string, string>, file: string): string {
  return text
    .map((part) => {
      if (typeof part === "string") return part;
      const value = secrets.get(part.secret);
      if (value === undefined) throw new InternalError(`${file} needs ${part.secret}, which was not planned`);
      return value;
    })
    .join("");
}

function envFileText(file: PrivateFile, vars: readonly [string, string][], literal: boolean): string {
  const head = `# Derived from ${SECRETS_FILE} by \`llm generate\` for ${file.readers.join(", ")}: edit ${SECRETS_FILE}, then run \`llm generate\`.\n`;
  return `${head}${vars.map(([name, value]) => `${name}=${literal ? value : envValue(value)}\n`).join("")}`;
}

/** The private files' contents. `secrets` holds every generated secret's value; `userSecrets`
 * the lines of secrets.env the tool does not own, in file order (a user's API keys);
 * `secretsText` secrets.env as this run leaves it (what an htpasswd check is recorded against). */
export async function planPrivateFiles(
  files: readonly PrivateFile[],
  secrets: ReadonlyMap<string, string>,
  userSecrets: readonly [string, string][],
  read: ReadText,
  secretsText = "",
): Promise<FilePlan[]> {
  const plans: FilePlan[] = [];
  for (const file of files) {
    const { content } = file;
    let contents: string;
    let checked: FilePlan | undefined;
    switch (content.kind) {
      case "value":
        contents = fill([{ secret: content.secret }], secrets, file.path);
        break;
      case "htpasswd": {
        const password = fill([{ secret: content.secret }], secrets, file.path);
        const existing = await read(file.path);
        const recorded = await read(checkedRecordOf(file.path));
        if (existing === null || recorded !== checkedRecord(content.user, existing, secretsText)) {
          const bcrypt = await loadBcrypt();
          contents = existing !== null && htpasswdMatches(bcrypt, existing, content.user, password) ? existing : htpasswdLine(bcrypt, content.user, password);
        } else {
          contents = existing;
        }
        checked = {
          path: checkedRecordOf(file.path),
          contents: checkedRecord(content.user, contents, secretsText),
          mode: PRIVATE_MODE,
          managedBlock: false,
          target: "shared",
        };
        break;
      }
      case "env": {
        const own = content.vars.map(({ name, value }): [string, string] => [name, fill(value, secrets, file.path)]);
        const taken = new Set(own.map(([name]) => name));
        contents = envFileText(file, [...own, ...(content.userSecrets ? userSecrets.filter(([name]) => !taken.has(name)) : [])], content.literal === true);
        break;
      }
      case "lines":
        contents = content.lines.map((line) => `${fill(line, secrets, file.path)}\n`).join("");
        break;
    }
    plans.push({ path: file.path, contents, mode: file.mode, managedBlock: false, target: "shared" });
    if (checked) plans.push(checked);
  }
  return plans;
}
