// Secrets in files the tool did not write. A hand-written LibreChat `.env` holds CREDS_KEY, the
// JWT secrets and provider keys; redaction used to know only secrets.env, so `llm diff` and the
// refusal printed them, and `generate --force` replaced the file with them in it. Here a value
// counts as a secret by its name (KEY, SECRET, TOKEN, PASSWORD, IV, ...) or by looking like a long
// random string, and a password inside a URL (`mongodb://user:PW@host`) counts too.
import { parseDotenv } from "../secrets/dotenv.js";

export interface ForeignSecret {
  /** The variable it is assigned to; null inside a URL or under a name no env file could hold. */
  name: string | null;
  /** The secret itself: the whole value, or the password part of a URL. */
  value: string;
  /** The whole value of the variable it is in (what must be kept for the secret to be kept). */
  assigned: string;
  line: number;
}

const SECRET_WORDS = new Set(["KEY", "APIKEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "PASS", "PWD", "IV", "CREDENTIALS", "AUTH"]);

/** `OPENAI_API_KEY`, `apiKey`, `MEILI_MASTER_KEY`, `CREDS_IV`, `x-portkey-api-key`: the last word
 * of the name (split at `_`, `-`, `.` and camelCase) is one of the words above, or ends in KEY,
 * SECRET, TOKEN or PASSWORD (`APIKEY`). `ALLOW_PASSWORD_RESET` and `REFRESH_TOKEN_EXPIRY` are
 * settings about secrets, not secrets. */
export function secretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[_.\-\s]+/)
    .filter(Boolean);
  const last = words[words.length - 1] ?? "";
  return SECRET_WORDS.has(last) || /(KEY|SECRET|TOKEN|PASSWORD)$/.test(last);
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}

/** A key or token: 20+ characters of a key alphabet with no blanks, one run of 16+ between
 * separators that switches between letters and digits at least three times, with high entropy. Names made of words
 * (`meta-llama/llama-3-70b-instruct`) have only short runs. */
export function looksRandom(value: string): boolean {
  if (value.length < 20 || !/^[A-Za-z0-9+/=_.~-]+$/.test(value)) return false;
  const longest = value.split(/[-_./~+=]/).reduce((a, b) => (b.length > a.length ? b : a), "");
  // Drawn characters switch between letters and digits often; `supportedAssistantId1` once.
  const switches = (longest.match(/[A-Za-z](?=[0-9])|[0-9](?=[A-Za-z])/g) ?? []).length;
  return longest.length >= 16 && switches >= 3 && entropy(longest) >= 3.3;
}

/** Not a secret whatever its name: empty, LibreChat's "each user enters a key", a reference. */
const placeholder = (value: string) => value === "" || value === "user_provided" || /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value);

const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@/]+)@/gi;

function fromValue(name: string | null, value: string, line: number, out: ForeignSecret[]): void {
  if (placeholder(value)) return;
  if ((name !== null && secretName(name)) || looksRandom(value)) out.push({ name, value, assigned: value, line });
  for (const match of value.matchAll(URL_PASSWORD)) if (match[1] && !placeholder(match[1])) out.push({ name, value: match[1], assigned: value, line });
}

/** One `NAME=VALUE`, `NAME: VALUE` or `- NAME=VALUE` line of YAML or any other text, value
 * unquoted and without a trailing comment. */
const ASSIGNMENT = /^\s*(?:-\s+)?(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?:=|:(?=\s|$))\s*(.*?)\s*$/;

function unquoted(raw: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(raw);
  if (quoted) return quoted[2] ?? "";
  return raw.replace(/\s+#.*$/, "");
}

export const isEnvFile = (file: string) => /(^|\/)\.env$|\.env$/.test(file);

/** The secrets in `text`, a file named `file`: an env file as Compose reads it, anything else
 * line by line. */
export function foreignSecrets(text: string, file: string): ForeignSecret[] {
  const out: ForeignSecret[] = [];
  if (isEnvFile(file)) {
    for (const entry of parseDotenv(text).entries) fromValue(entry.key, entry.value, entry.line, out);
    return out;
  }
  text.split("\n").forEach((line, index) => {
    const match = ASSIGNMENT.exec(line);
    if (match) fromValue(/^[A-Za-z_][A-Za-z0-9_]*$/.test(match[1] ?? "") ? (match[1] ?? null) : null, unquoted(match[2] ?? ""), index + 1, out);
    else for (const word of line.split(/[\s"',]+/)) fromValue(null, word, index + 1, out);
  });
  return out;
}

/** `text` with each assignment whose value is one of `values` shown as `<redacted>`: a value too
 * short to search for everywhere (`PASSWORD=abc`) is still hidden on its own line. */
export function redactAssignments(text: string, values: ReadonlySet<string>, label: string): string {
  if (values.size === 0) return text;
  return text
    .split("\n")
    .map((line) => {
      const match = ASSIGNMENT.exec(line);
      if (!match || !values.has(unquoted(match[2] ?? ""))) return line;
      const raw = match[2] ?? "";
      return `${line.slice(0, line.lastIndexOf(raw))}${label}`;
    })
    .join("\n");
}
