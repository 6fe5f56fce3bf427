// Files derived from secrets.env for the services that need each value, and only for them: an env
// file per service for what it reads as variables (LibreChat's keys and connection URIs,
// Meilisearch's master key, MongoDB's password), Prometheus' bearer token as a file (never in
// prometheus.yml), Grafana's admin password through GF_..._FILE, Redis' configuration with its
// password, Traefik's bcrypt htpasswd file. All are gitignored, in the 0700 secrets/ folder;
// secrets.env stays the single place a person reads or edits a secret.
import { InternalError } from "../errors.js";
import { hmacSha256 } from "../util/sha256.js";
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

/** Loaded only when a line must be hashed (a new or changed password), not to check one. */
const loadBcrypt = async (): Promise<Bcrypt> => (await import("bcryptjs")).default;

/** The 16-byte bcrypt salt, derived from the user and password rather than drawn at random: the
 * same password always gives the same line, so a second `generate` changes nothing, and whether
 * the file on disk is current is answered by one HMAC instead of a bcrypt computation (~30 ms
 * before the JIT warms up). The password itself is random (or the user's own choice). */
function saltBytes(user: string, password: string): Buffer {
  return hmacSha256(password, `local-llm-stack htpasswd salt:${user}`).subarray(0, 16);
}

const STANDARD_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BCRYPT_BASE64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** bcrypt's base64: the standard encoding's bits in another alphabet, without padding (what
 * bcryptjs' encodeBase64 writes; test/module-secrets.test.ts compares the two). Here so that
 * checking an existing file does not load bcryptjs. */
export function bcryptBase64(bytes: Buffer): string {
  return bytes
    .toString("base64")
    .replace(/=+$/, "")
    .replace(/[A-Za-z0-9+/]/g, (c) => BCRYPT_BASE64[STANDARD_BASE64.indexOf(c)]!);
}

/** The salt as it stands in a hash, after `$2y$05$`. */
const encodedSalt = (user: string, password: string) => bcryptBase64(saltBytes(user, password));

const HASH_PREFIX = `$2y$0${BCRYPT_COST}$`;

/** The beginning of the line this user and password produce: name, bcrypt prefix and salt. */
function linePrefix(user: string, password: string): string {
  return `${user}:${HASH_PREFIX}${encodedSalt(user, password)}`;
}

/** One htpasswd line with a bcrypt hash in the `$2y$` spelling Apache's `htpasswd -B` writes and
 * Traefik's basicAuth reads (the same algorithm as bcryptjs' `$2b$`). */
function htpasswdLine(bcrypt: Bcrypt, user: string, password: string): string {
  const salt = `$2b$0${BCRYPT_COST}$${encodedSalt(user, password)}`;
  return `${user}:${bcrypt.hashSync(password, salt).replace(/^\$2[ab]\$/, "$2y$")}\n`;
}

/** Whether an existing htpasswd file already holds exactly this user and password: its salt is
 * the one this password derives (a hash made from another password carries another salt). */
function htpasswdMatches(existing: string | null, user: string, password: string): boolean {
  const lines = (existing ?? "").split("\n").filter((line) => line !== "");
  const prefix = linePrefix(user, password);
  return lines.length === 1 && lines[0]!.startsWith(prefix) && lines[0]!.length === prefix.length + 31;
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

function envFileText(file: PrivateFile, vars: readonly [string, string][]): string {
  const head = `# Derived from ${SECRETS_FILE} by \`llm generate\` for ${file.readers.join(", ")}: edit ${SECRETS_FILE}, then run \`llm generate\`.\n`;
  return `${head}${vars.map(([name, value]) => `${name}=${envValue(value)}\n`).join("")}`;
}

/** The private files' contents. `secrets` holds every generated secret's value; `userSecrets`
 * the lines of secrets.env the tool does not own, in file order (a user's API keys). */
export async function planPrivateFiles(
  files: readonly PrivateFile[],
  secrets: ReadonlyMap<string, string>,
  userSecrets: readonly [string, string][],
  read: ReadText,
): Promise<FilePlan[]> {
  const plans: FilePlan[] = [];
  for (const file of files) {
    const { content } = file;
    let contents: string;
    switch (content.kind) {
      case "value":
        contents = fill([{ secret: content.secret }], secrets, file.path);
        break;
      case "htpasswd": {
        const password = fill([{ secret: content.secret }], secrets, file.path);
        const existing = await read(file.path);
        contents = existing !== null && htpasswdMatches(existing, content.user, password) ? existing : htpasswdLine(await loadBcrypt(), content.user, password);
        break;
      }
      case "env": {
        const own = content.vars.map(({ name, value }): [string, string] => [name, fill(value, secrets, file.path)]);
        const taken = new Set(own.map(([name]) => name));
        contents = envFileText(file, [...own, ...(content.userSecrets ? userSecrets.filter(([name]) => !taken.has(name)) : [])]);
        break;
      }
      case "lines":
        contents = content.lines.map((line) => `${fill(line, secrets, file.path)}\n`).join("");
        break;
    }
    plans.push({ path: file.path, contents, mode: file.mode, managedBlock: false, target: "shared" });
  }
  return plans;
}
