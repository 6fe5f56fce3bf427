// Every secret the stack needs: its format, who reads it, and what breaks when it changes.

export interface SecretSpec {
  name: string;
  /** Characters and length of a generated value. */
  alphabet: string;
  length: number;
  /** Accepts a value already in the secrets file (a user may have set their own). */
  valid: (value: string) => boolean;
  expected: string;
  usedBy: string[];
  /** Shown before rotating: what stops working. */
  rotationWarning?: string;
  /** Rotating makes data already stored unreadable: `llm secrets rotate` asks first. */
  breaksStoredData?: boolean;
}

const HEX = "0123456789abcdef";
// No `$`, quotes or `#`: safe unquoted in an env file and in compose interpolation.
const URL_SAFE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const hex = (length: number) => (value: string) => new RegExp(`^[0-9a-fA-F]{${length}}$`).test(value);
const atLeast = (length: number) => (value: string) => value.length >= length && !/\s/.test(value);

/** LibreChat signs sessions with these; any long random string works, 64 hex is the norm. */
function jwtSecret(name: string): SecretSpec {
  return {
    name,
    alphabet: HEX,
    length: 64,
    valid: atLeast(32),
    expected: "at least 32 characters",
    usedBy: ["librechat"],
    rotationWarning: "Every user is signed out.",
  };
}

export const SECRET_SPECS: readonly SecretSpec[] = [
  {
    name: "CREDS_IV",
    alphabet: HEX,
    length: 32,
    valid: hex(32),
    expected: "32 hex characters (16 bytes)",
    usedBy: ["librechat"],
    rotationWarning: "LibreChat can no longer decrypt stored user API keys and credentials; users must enter them again.",
    breaksStoredData: true,
  },
  {
    name: "CREDS_KEY",
    alphabet: HEX,
    length: 64,
    valid: hex(64),
    expected: "64 hex characters (32 bytes)",
    usedBy: ["librechat"],
    rotationWarning: "LibreChat can no longer decrypt stored user API keys and credentials; users must enter them again.",
    breaksStoredData: true,
  },
  jwtSecret("JWT_REFRESH_SECRET"),
  jwtSecret("JWT_SECRET"),
  {
    name: "MEILI_MASTER_KEY",
    alphabet: URL_SAFE,
    length: 32,
    valid: atLeast(16),
    expected: "at least 16 characters",
    usedBy: ["librechat", "meilisearch"],
  },
];

/** A random password of letters and digits: safe unquoted everywhere it is written. */
function password(name: string, length: number, minimum: number, usedBy: string[], rotationWarning?: string): SecretSpec {
  return {
    name,
    alphabet: URL_SAFE,
    length,
    valid: atLeast(minimum),
    expected: `at least ${minimum} characters`,
    usedBy,
    ...(rotationWarning ? { rotationWarning } : {}),
  };
}

/** Secrets of the optional modules, generated only when their module is on. */
export const METRICS_SECRET = password("METRICS_SECRET", 48, 16, ["librechat", "prometheus"]);
export const GRAFANA_ADMIN_PASSWORD = password(
  "GRAFANA_ADMIN_PASSWORD",
  24,
  12,
  ["grafana"],
  "Grafana keeps the password it was first started with; change it in Grafana too (`grafana cli admin reset-admin-password`).",
);
export const TRAEFIK_BASIC_AUTH_PASSWORD = password("TRAEFIK_BASIC_AUTH_PASSWORD", 24, 12, ["traefik"]);

const ALL_SPECS: readonly SecretSpec[] = [...SECRET_SPECS, METRICS_SECRET, GRAFANA_ADMIN_PASSWORD, TRAEFIK_BASIC_AUTH_PASSWORD];

/** The secrets a stack with these modules needs, core secrets first. */
export function secretNamesFor(modules: { monitoring: boolean; adminAuth: boolean }): string[] {
  const names = SECRET_SPECS.map((spec) => spec.name);
  if (modules.monitoring) names.push(METRICS_SECRET.name, GRAFANA_ADMIN_PASSWORD.name);
  if (modules.adminAuth) names.push(TRAEFIK_BASIC_AUTH_PASSWORD.name);
  return names;
}

/** The specs behind a stack's secret names (`stack.secrets`), in the same order. */
export function secretSpecsFor(names: readonly string[]): SecretSpec[] {
  return names.map((name) => {
    const spec = ALL_SPECS.find((candidate) => candidate.name === name);
    if (!spec) throw new Error(`internal: no secret spec named ${name}`);
    return spec;
  });
}

export const SECRETS_FILE = "secrets.env";
/** Gitignored folder of files derived from secrets.env, one per consumer (mode 0600). */
export const PRIVATE_DIR = "secrets";
