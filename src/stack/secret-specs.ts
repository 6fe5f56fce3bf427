// What a generated secret is: its format and what breaks when it changes. The core services'
// secrets are here; each optional module declares its own (src/modules/). Who reads a secret is
// not written down anywhere: the built stack knows (Stack.secrets).

export interface SecretSpec {
  name: string;
  /** Characters and length of a generated value. */
  alphabet: string;
  length: number;
  /** Accepts a value already in the secrets file (a user may have set their own). */
  valid: (value: string) => boolean;
  expected: string;
  /** Shown before rotating: what stops working. */
  rotationWarning?: string;
  /** The service whose stored data it protects (its data folder is in Stack.dataFolders): losing
   * or replacing it makes that data unreadable or unreachable. `llm secrets rotate` asks first,
   * and once the folder holds data a lost one is never created anew without an explicit request
   * (SECRET_LOST; `generate --new-secret`). */
  guardsDataOf?: string;
}

const HEX = "0123456789abcdef";
// No `$`, quotes, `#`, `@`, `:` or `/`: safe unquoted in an env file, in compose interpolation
// and inside a connection URI (LibreChat does not percent-decode MONGO_URI or REDIS_URI).
const URL_SAFE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const hex = (length: number) => (value: string) => new RegExp(`^[0-9a-fA-F]{${length}}$`).test(value);
const atLeast = (length: number) => (value: string) => value.length >= length && !/\s/.test(value);
/** Goes into a URI as it is: letters, digits and the unreserved `-._~`. */
const uriSafe = (length: number) => (value: string) => value.length >= length && /^[A-Za-z0-9._~-]+$/.test(value);

/** A random password of letters and digits: safe unquoted everywhere it is written. */
export function password(name: string, length: number, minimum: number, extra: Partial<SecretSpec> = {}): SecretSpec {
  return { name, alphabet: URL_SAFE, length, valid: atLeast(minimum), expected: `at least ${minimum} characters`, ...extra };
}

/** A password that is written into a connection URI as it is. */
export const uriPassword = (name: string, uri: string): SecretSpec =>
  password(name, 32, 16, { valid: uriSafe(16), expected: `at least 16 letters, digits or -._~ (it is written into ${uri} as it is)` });

/** LibreChat signs sessions with these; any long random string works, 64 hex is the norm. */
function jwtSecret(name: string): SecretSpec {
  return { name, alphabet: HEX, length: 64, valid: atLeast(32), expected: "at least 32 characters", rotationWarning: "Every user is signed out." };
}

const CREDS_WARNING = "LibreChat can no longer decrypt stored user API keys and credentials; users must enter them again.";

/** The core services' secrets, in the order `llm secrets` lists them. */
export const CORE_SECRET_SPECS: readonly SecretSpec[] = [
  {
    name: "CREDS_IV",
    alphabet: HEX,
    length: 32,
    valid: hex(32),
    expected: "32 hex characters (16 bytes)",
    rotationWarning: CREDS_WARNING,
    guardsDataOf: "mongodb",
  },
  {
    name: "CREDS_KEY",
    alphabet: HEX,
    length: 64,
    valid: hex(64),
    expected: "64 hex characters (32 bytes)",
    rotationWarning: CREDS_WARNING,
    guardsDataOf: "mongodb",
  },
  jwtSecret("JWT_REFRESH_SECRET"),
  jwtSecret("JWT_SECRET"),
  password("MEILI_MASTER_KEY", 32, 16),
  {
    ...uriPassword("MONGO_PASSWORD", "MONGO_URI"),
    // MONGO_INITDB_ROOT_PASSWORD only applies when MongoDB creates an empty data folder.
    rotationWarning:
      "MongoDB keeps the password it created its user with: change it there first (docker compose exec mongodb mongosh admin -u librechat -p --eval 'db.changeUserPassword(\"librechat\", passwordPrompt())'), then recreate LibreChat.",
    guardsDataOf: "mongodb",
  },
];
