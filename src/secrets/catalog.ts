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
  {
    name: "JWT_REFRESH_SECRET",
    alphabet: HEX,
    length: 64,
    valid: atLeast(32),
    expected: "at least 32 characters",
    usedBy: ["librechat"],
    rotationWarning: "Every user is signed out.",
  },
  {
    name: "JWT_SECRET",
    alphabet: HEX,
    length: 64,
    valid: atLeast(32),
    expected: "at least 32 characters",
    usedBy: ["librechat"],
    rotationWarning: "Every user is signed out.",
  },
  {
    name: "MEILI_MASTER_KEY",
    alphabet: URL_SAFE,
    length: 32,
    valid: atLeast(16),
    expected: "at least 16 characters",
    usedBy: ["librechat", "meilisearch"],
  },
];

export const SECRETS_FILE = "secrets.env";
