// test/fixtures/adopt: a LibreChat folder built from LibreChat v0.8.7's own files (its README). Its
// .env names the values it holds as {{NAME}}: they are made here from a fixed seed, so the tests
// always see the same values and no file in the repository holds one.
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./paths.js";

/** `length` characters of `alphabet`, the same for the same name on every run. */
function seeded(name: string, length: number, alphabet: string): string {
  let out = "";
  for (let block = 0; out.length < length; block++) {
    for (const byte of createHash("sha256").update(`adopt-fixture/${name}/${block}`).digest()) out += alphabet[byte % alphabet.length];
  }
  return out.slice(0, length);
}
const HEX = "0123456789abcdef";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The values its .env holds: none may be printed or lost. Shaped as LibreChat's and the providers' are. */
export const FIXTURE_SECRETS: Record<string, string> = {
  CREDS_KEY: seeded("CREDS_KEY", 64, HEX),
  CREDS_IV: seeded("CREDS_IV", 32, HEX),
  JWT_SECRET: seeded("JWT_SECRET", 64, HEX),
  JWT_REFRESH_SECRET: seeded("JWT_REFRESH_SECRET", 64, HEX),
  MEILI_MASTER_KEY: seeded("MEILI_MASTER_KEY", 43, `${ALNUM}-_`),
  OPENAI_API_KEY: `sk-proj-${seeded("OPENAI_API_KEY", 80, ALNUM)}`,
  GROQ_API_KEY: `gsk_${seeded("GROQ_API_KEY", 48, HEX)}`,
  OPENROUTER_KEY: `sk-or-v1-${seeded("OPENROUTER_KEY", 40, ALNUM)}`,
};

/** The fixture with its values filled in, in a folder of this process's own. */
export const FIXTURE = mkdtempSync(path.join(os.tmpdir(), "llm-adopt-fixture-"));
cpSync(path.join(ROOT, "test", "fixtures", "adopt"), FIXTURE, { recursive: true });
writeFileSync(
  path.join(FIXTURE, ".env"),
  readFileSync(path.join(FIXTURE, ".env"), "utf8").replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => FIXTURE_SECRETS[name]!),
);
process.on("exit", () => rmSync(FIXTURE, { recursive: true, force: true }));
