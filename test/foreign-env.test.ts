// A folder with a hand-written LibreChat `.env` and no manifest: `llm diff` and the refusal never
// print its secrets, and `generate --force` keeps every one of them (in secrets.env) or refuses.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { looksRandom, secretName, foreignSecrets } from "../src/diff/foreign-secrets.js";
import { parseSecrets } from "../src/secrets/store.js";
import { FIXTURE, FIXTURE_SECRETS } from "./helpers/adopt-fixture.js";
import { removeDir, runCli, snapshot, workspaceWith } from "./helpers/workspace.js";

const test = suite("foreign .env: redacted in diff and refusal, kept by --force");

const CONFIG = 'import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["llama3.2:3b"] });\n';

function withForeignEnv(): string {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  cpSync(path.join(FIXTURE, ".env"), path.join(dir, ".env"));
  return dir;
}

function assertNoneShown(text: string, where: string): void {
  for (const [name, value] of Object.entries(FIXTURE_SECRETS)) assert.not.ok(text.includes(value), `${where} printed ${name}`);
}

test("the fixture holds the values these tests look for", () => {
  const env = new Map([...parseSecrets(readFileSync(path.join(FIXTURE, ".env"), "utf8"))].map(([k, v]) => [k, v.value]));
  for (const [name, value] of Object.entries(FIXTURE_SECRETS)) assert.is(env.get(name), value, name);
});

test("secret names and random-looking values are told from settings", () => {
  for (const name of ["OPENAI_API_KEY", "CREDS_IV", "JWT_REFRESH_SECRET", "HUGGINGFACE_TOKEN", "EMAIL_PASSWORD", "apiKey", "x-portkey-api-key", "GOOGLE_KEY"])
    assert.ok(secretName(name), name);
  for (const name of [
    "PRIVATE_MODE",
    "DEBUG_LOGGING",
    "APP_TITLE",
    "MONGO_URI",
    "KEYCLOAK_URL_NAME_X",
    "MEILI_HOST",
    "ALLOW_PASSWORD_RESET",
    "REFRESH_TOKEN_EXPIRY",
  ])
    assert.not.ok(secretName(name), name);
  for (const value of Object.values(FIXTURE_SECRETS)) assert.ok(looksRandom(value), value.slice(0, 6));
  for (const value of [
    "meta-llama/llama-3-70b-instruct",
    "mongodb://127.0.0.1:27017/LibreChat",
    "claude-sonnet-4-5",
    "http://localhost:3080",
    "1000 * 60 * 60 * 2",
    "asst_supportedAssistantId1",
  ])
    assert.not.ok(looksRandom(value), value);
  // A password inside a URL, under a name that is no secret's.
  assert.equal(
    foreignSecrets("MONGO_URI=mongodb://librechat:hunter2x@mongodb:27017/LibreChat\n", ".env").map((s) => [s.name, s.value]),
    [["MONGO_URI", "hunter2x"]],
  );
  // A short value under a secret's name is found too, and a placeholder is not a secret.
  assert.equal(
    foreignSecrets("environment:\n  POSTGRES_PASSWORD: abc\n  OPENAI_API_KEY: user_provided\n", "docker-compose.yml").map((s) => s.value),
    ["abc"],
  );
});

test("llm diff in a folder with a hand-written .env prints none of its secrets (text and --json)", async () => {
  const dir = withForeignEnv();
  try {
    for (const argv of [["diff"], ["diff", "--json"]]) {
      const run = await runCli(argv, dir);
      assert.is(run.code, 1, run.stderr);
      assertNoneShown(run.stdout + run.stderr, argv.join(" "));
      assert.ok((run.stdout + run.stderr).includes("<redacted>"), "the .env's secret lines are shown redacted");
    }
    const run = await runCli(["diff"], dir);
    assert.match(run.stdout, /^-CREDS_KEY=<redacted>$/m);
    assert.match(run.stdout, /^-DEBUG_LOGGING=true$/m, "settings stay readable");
  } finally {
    removeDir(dir);
  }
});

test("the refusal of generate prints none of the .env's secrets and changes nothing", async () => {
  const dir = withForeignEnv();
  try {
    const before = snapshot(dir);
    for (const argv of [["generate"], ["generate", "--json"]]) {
      const run = await runCli(argv, dir);
      assert.is(run.code, 4, run.stderr);
      assertNoneShown(run.stdout + run.stderr, argv.join(" "));
      assert.match(run.stdout + run.stderr, /`llm init --from DIR` in a new folder adopts its settings and secrets/);
    }
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
});

test("generate --force moves the .env's secrets into secrets.env byte for byte, and LibreChat still gets them", async () => {
  const dir = withForeignEnv();
  try {
    const run = await runCli(["generate", "--force"], dir);
    assert.is(run.code, 0, run.stderr);
    assertNoneShown(run.stdout + run.stderr, "generate --force");
    assert.match(run.stdout, /kept the secrets of \.env: .*CREDS_KEY/);
    const secrets = new Map([...parseSecrets(readFileSync(path.join(dir, "secrets.env"), "utf8"))].map(([k, v]) => [k, v.value]));
    for (const [name, value] of Object.entries(FIXTURE_SECRETS)) assert.is(secrets.get(name), value, name);
    const librechat = new Map([...parseSecrets(readFileSync(path.join(dir, "secrets", "librechat.env"), "utf8"))].map(([k, v]) => [k, v.value]));
    for (const [name, value] of Object.entries(FIXTURE_SECRETS)) assert.is(librechat.get(name), value, `LibreChat reads ${name}`);
    assertNoneShown(readFileSync(path.join(dir, ".env"), "utf8"), "the generated .env");
    // A second run has nothing left to move and changes nothing.
    const again = await runCli(["generate"], dir);
    assert.is(again.code, 0, again.stderr);
    assert.not.match(again.stdout, /kept the secrets/);
  } finally {
    removeDir(dir);
  }
});

test("generate --force refuses, naming llm init --from, when a secret has no name to be kept under or another value in secrets.env", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    writeFileSync(
      path.join(dir, "librechat.yaml"),
      `version: 1.3.13\nendpoints:\n  custom:\n    - name: groq\n      apiKey: '${FIXTURE_SECRETS.GROQ_API_KEY}'\n`,
    );
    const before = snapshot(dir);
    const run = await runCli(["generate", "--force"], dir);
    assert.is(run.code, 4, run.stderr);
    assert.match(run.stderr, /FOREIGN_SECRETS/);
    assert.match(run.stderr, /librechat\.yaml: line 5: holds a secret \(apiKey\)/);
    assert.match(run.stderr, /llm init --from DIR/);
    assertNoneShown(run.stdout + run.stderr, "the refusal");
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
  const other = withForeignEnv();
  try {
    writeFileSync(path.join(other, "secrets.env"), `CREDS_KEY=${"0".repeat(64)}\n`, { mode: 0o600 });
    const before = snapshot(other);
    const run = await runCli(["generate", "--force"], other);
    assert.is(run.code, 4, run.stderr);
    assert.match(run.stderr, /secrets\.env already sets CREDS_KEY to another value/);
    assertNoneShown(run.stdout + run.stderr, "the refusal");
    assert.equal(snapshot(other), before);
  } finally {
    removeDir(other);
  }
});

test("generate --force refuses a .env secret under a name llm wires, rather than move it into secrets.env where it would undo the wiring", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    writeFileSync(path.join(dir, ".env"), "APP_TITLE=Chat\nREDIS_URI=redis://:Pw0rdPw0rdPw0rd@redis:6379\n");
    const before = snapshot(dir);
    const run = await runCli(["generate", "--force"], dir);
    assert.is(run.code, 4, run.stderr);
    assert.match(run.stderr, "error FOREIGN_SECRETS");
    assert.match(run.stderr, ".env: REDIS_URI (line 2): holds REDIS_URI, which llm wires itself: --force would discard it, and secrets.env cannot keep it");
    assert.not.ok(run.stdout.includes("Pw0rd") || run.stderr.includes("Pw0rd"), "the password is not shown");
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
});

test("generate --force refuses a .env secret that Compose and LibreChat's dotenv read differently", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    // Compose reads `sk-ab12cd34#ef56gh78ij90`, dotenv stops at the `#`.
    writeFileSync(path.join(dir, ".env"), "OPENAI_API_KEY=sk-ab12cd34#ef56gh78ij90\n");
    const before = snapshot(dir);
    const run = await runCli(["generate", "--force"], dir);
    assert.is(run.code, 4, run.stderr);
    assert.match(run.stderr, /\.env: OPENAI_API_KEY \(line 1\): Compose and LibreChat's dotenv read this value differently/);
    assert.not.ok((run.stdout + run.stderr).includes("sk-ab12cd34"));
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
});

test.run();
