import { InternalError } from "../errors.js";
// Files derived from secrets.env for the one container that needs each value: Prometheus reads its
// bearer token from a file (never from prometheus.yml), Grafana its admin password through
// GF_..._FILE, Traefik a bcrypt htpasswd file. All are gitignored and written with mode 0600;
// secrets.env stays the single place a person reads or edits a secret.
import { hmacSha256 } from "../util/sha256.js";
import type bcryptjs from "bcryptjs";
import type { FilePlan } from "../outputs/types.js";
import type { PrivateFile } from "../stack/types.js";

export type ReadText = (path: string) => Promise<string | null>;

type Bcrypt = typeof bcryptjs;

/** Traefik checks the hash on every request to an admin UI, so the cost is `htpasswd -B`'s
 * default (5, ~2 ms) rather than bcrypt's usual 10 (~65 ms): the generated password is 24 random
 * characters (~143 bits), far beyond reach of guessing whatever the cost. */
const BCRYPT_COST = 5;
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
  return bytes.toString("base64").replace(/=+$/, "").replace(/[A-Za-z0-9+/]/g, (c) => BCRYPT_BASE64[STANDARD_BASE64.indexOf(c)]!);
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
export function htpasswdLine(bcrypt: Bcrypt, user: string, password: string): string {
  const salt = `$2b$0${BCRYPT_COST}$${encodedSalt(user, password)}`;
  return `${user}:${bcrypt.hashSync(password, salt).replace(/^\$2[ab]\$/, "$2y$")}\n`;
}

/** Whether an existing htpasswd file already holds exactly this user and password: its salt is
 * the one this password derives (a hash made from another password carries another salt). */
export function htpasswdMatches(existing: string | null, user: string, password: string): boolean {
  const lines = (existing ?? "").split("\n").filter((line) => line !== "");
  const prefix = linePrefix(user, password);
  return lines.length === 1 && lines[0]!.startsWith(prefix) && lines[0]!.length === prefix.length + 31;
}

export async function planPrivateFiles(files: readonly PrivateFile[], secrets: ReadonlyMap<string, string>, read: ReadText): Promise<FilePlan[]> {
  const plans: FilePlan[] = [];
  for (const file of files) {
    const value = secrets.get(file.secret);
    if (value === undefined) throw new InternalError(`${file.path} needs ${file.secret}, which was not planned`);
    let contents = value;
    if (file.format === "htpasswd") {
      const user = file.user ?? "admin";
      const existing = await read(file.path);
      contents = existing !== null && htpasswdMatches(existing, user, value) ? existing : htpasswdLine(await loadBcrypt(), user, value);
    }
    plans.push({ path: file.path, contents, mode: PRIVATE_MODE, managedBlock: false });
  }
  return plans;
}
