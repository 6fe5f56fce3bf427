// Every secret the generator creates: its format and what breaks when it changes. Who reads a
// secret is not written here: the built stack knows (Stack.secrets, from the services that
// receive each through secrets/).
import { InternalError } from "../errors.js";

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
  /** Losing or replacing it makes data already stored unreadable or unreachable: never created
   * anew without an explicit request, and `llm secrets rotate` asks first. */
  breaksStoredData?: boolean;
}

const HEX = "0123456789abcdef";
// No `$`, quotes, `#`, `@`, `:` or `/`: safe unquoted in an env file, in compose interpolation
// and inside a connection URI (LibreChat does not percent-decode MONGO_URI or REDIS_URI).
const URL_SAFE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const hex = (length: number) => (value: string) => new RegExp(`^[0-9a-fA-F]{${length}}$`).test(value);
const atLeast = (length: number) => (value: string) => value.length >= length && !/\s/.test(value);
/** Goes into a URI as it is: letters, digits and the unreserved `-._~`. */
const uriSafe = (length: number) => (value: string) => value.length >= length && /^[A-Za-z0-9._~-]+$/.test(value);

/** LibreChat signs sessions with these; any long random string works, 64 hex is the norm. */
function jwtSecret(name: string): SecretSpec {
  return { name, alphabet: HEX, length: 64, valid: atLeast(32), expected: "at least 32 characters", rotationWarning: "Every user is signed out." };
}

/** A random password of letters and digits: safe unquoted everywhere it is written. */
function password(name: string, length: number, minimum: number, extra: Partial<SecretSpec> = {}): SecretSpec {
  return { name, alphabet: URL_SAFE, length, valid: atLeast(minimum), expected: `at least ${minimum} characters`, ...extra };
}

const CREDS_WARNING = "LibreChat can no longer decrypt stored user API keys and credentials; users must enter them again.";

/** In the order `llm secrets` lists them: LibreChat's own, then the databases', then the modules'. */
const SPECS: readonly SecretSpec[] = [
  { name: "CREDS_IV", alphabet: HEX, length: 32, valid: hex(32), expected: "32 hex characters (16 bytes)", rotationWarning: CREDS_WARNING, breaksStoredData: true },
  { name: "CREDS_KEY", alphabet: HEX, length: 64, valid: hex(64), expected: "64 hex characters (32 bytes)", rotationWarning: CREDS_WARNING, breaksStoredData: true },
  jwtSecret("JWT_REFRESH_SECRET"),
  jwtSecret("JWT_SECRET"),
  password("MEILI_MASTER_KEY", 32, 16),
  password("MONGO_PASSWORD", 32, 16, {
    valid: uriSafe(16),
    expected: "at least 16 letters, digits or -._~ (it is written into MONGO_URI as it is)",
    // MONGO_INITDB_ROOT_PASSWORD only applies when MongoDB creates an empty data folder.
    rotationWarning:
      "MongoDB keeps the password it created its user with: change it there first (docker compose exec mongodb mongosh admin -u librechat -p --eval 'db.changeUserPassword(\"librechat\", passwordPrompt())'), then recreate LibreChat.",
    breaksStoredData: true,
  }),
  password("REDIS_PASSWORD", 32, 16, { valid: uriSafe(16), expected: "at least 16 letters, digits or -._~ (it is written into REDIS_URI as it is)" }),
  password("METRICS_SECRET", 48, 16),
  password("GRAFANA_ADMIN_PASSWORD", 24, 12, { rotationWarning: "Grafana keeps the password it was first started with; change it in Grafana too (`grafana cli admin reset-admin-password`)." }),
  password("TRAEFIK_BASIC_AUTH_PASSWORD", 24, 12),
];

export function secretSpec(name: string): SecretSpec | undefined {
  return SPECS.find((spec) => spec.name === name);
}

/** The specs behind a stack's secret names, in the catalog's order. */
export function secretSpecsFor(names: readonly string[]): SecretSpec[] {
  for (const name of names) if (!secretSpec(name)) throw new InternalError(`no secret spec named ${name}`);
  return SPECS.filter((spec) => names.includes(spec.name));
}

/** Whether the tool owns a name in secrets.env (every other line is the user's own). */
export const isGeneratedSecret = (name: string): boolean => secretSpec(name) !== undefined;

export const SECRETS_FILE = "secrets.env";
/** Gitignored folder of files derived from secrets.env, one per consumer (the folder is 0700). */
export const PRIVATE_DIR = "secrets";
