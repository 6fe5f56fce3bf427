import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseSecrets } from "../src/secrets/store.js";
import { nanoidRandom } from "../src/app/generate.js";
import { removeDir, runCli, snapshot, workspaceWith } from "./helpers/workspace.js";

const test = suite("secrets: generated once, kept, never leaked");
const CONFIG = 'import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["llama3.2:3b"] });\n';
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");
const values = (dir: string) => new Map([...parseSecrets(read(dir, "secrets.env"))].map(([k, v]) => [k, v.value]));

test("formats LibreChat and Meilisearch require, mode 0600, ignored by git", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    const run = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    const s = values(dir);
    assert.match(s.get("CREDS_KEY")!, /^[0-9a-f]{64}$/);
    assert.match(s.get("CREDS_IV")!, /^[0-9a-f]{32}$/);
    assert.match(s.get("JWT_SECRET")!, /^[0-9a-f]{64}$/);
    assert.match(s.get("JWT_REFRESH_SECRET")!, /^[0-9a-f]{64}$/);
    assert.ok(s.get("JWT_SECRET") !== s.get("JWT_REFRESH_SECRET"));
    assert.match(s.get("MEILI_MASTER_KEY")!, /^[A-Za-z0-9]{32}$/);
    assert.is(statSync(path.join(dir, "secrets.env")).mode & 0o777, 0o600);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    assert.is(execFileSync("git", ["check-ignore", "secrets.env", "data/ollama/x"], { cwd: dir, encoding: "utf8" }), "secrets.env\ndata/ollama/x\n");
  } finally {
    removeDir(dir);
  }
});

test("editing the config and generating again keeps every secret byte for byte", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    await runCli(["generate"], dir, { random: nanoidRandom });
    const before = read(dir, "secrets.env");
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace('["llama3.2:3b"]', '["qwen2.5:7b"], presets: ["low-ram"]'));
    const run = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    assert.ok(read(dir, "docker-compose.yml").includes("qwen2.5:7b"));
    assert.is(read(dir, "secrets.env"), before);
  } finally {
    removeDir(dir);
  }
});

test("a deleted secret that guards no stored data is recreated alone; the user's own lines stay", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    await runCli(["generate"], dir, { random: nanoidRandom });
    const before = values(dir);
    const edited = read(dir, "secrets.env").replace(/^JWT_REFRESH_SECRET=.*\n/m, "") + "OPENROUTER_KEY=sk-or-user-own\n";
    writeFileSync(path.join(dir, "secrets.env"), edited);
    const run = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes("created secrets: JWT_REFRESH_SECRET"), run.stdout);
    const after = read(dir, "secrets.env");
    assert.ok(after.startsWith(edited), "existing lines unchanged and in place");
    const s = values(dir);
    assert.match(s.get("JWT_REFRESH_SECRET")!, /^[0-9a-f]{64}$/);
    assert.is.not(s.get("JWT_REFRESH_SECRET"), before.get("JWT_REFRESH_SECRET"));
    for (const name of ["CREDS_IV", "CREDS_KEY", "JWT_SECRET", "MEILI_MASTER_KEY"]) assert.is(s.get(name), before.get(name), name);
    assert.is(s.get("OPENROUTER_KEY"), "sk-or-user-own");
  } finally {
    removeDir(dir);
  }
});

test("a secrets file saved with Windows line endings keeps every secret", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    assert.is((await runCli(["generate", "--quiet"], dir, { random: nanoidRandom })).code, 0);
    const before = values(dir);
    const crlf = read(dir, "secrets.env").replace(/\n/g, "\r\n");
    writeFileSync(path.join(dir, "secrets.env"), crlf);
    const run = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    assert.not.match(run.stdout, /created secrets/);
    assert.is(read(dir, "secrets.env"), crlf, "not one byte changed");
    assert.equal(values(dir), before);
  } finally {
    removeDir(dir);
  }
});

test("a secrets file with a loosened mode is put back to 0600 without changing its bytes", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    await runCli(["generate"], dir, { random: nanoidRandom });
    const before = read(dir, "secrets.env");
    chmodSync(path.join(dir, "secrets.env"), 0o644);
    await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(statSync(path.join(dir, "secrets.env")).mode & 0o777, 0o600);
    assert.is(read(dir, "secrets.env"), before);
  } finally {
    removeDir(dir);
  }
});

test("an invalid secret is an error that names it without printing it, and nothing changes", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    await runCli(["generate"], dir, { random: nanoidRandom });
    const broken = read(dir, "secrets.env").replace(/^CREDS_KEY=.*$/m, "CREDS_KEY=abc123");
    writeFileSync(path.join(dir, "secrets.env"), broken);
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("3b", "1b"));
    const before = snapshot(dir);
    const run = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(run.code, 2);
    assert.fixture(
      run.stderr,
      "error SECRETS_INVALID: secrets.env has 1 problem\n" +
        "  secrets.env: CREDS_KEY (line 5): expected 64 hex characters (32 bytes), found a value of 6 characters\n" +
        "      fix: replace the CREDS_KEY line with the value from your backup; `llm secrets rotate CREDS_KEY` writes a new one (LibreChat can no longer decrypt stored user API keys and credentials; users must enter them again.)\n" +
        "hint: fix the lines above in secrets.env; nothing was changed\n",
    );
    assert.not.ok(run.stderr.includes("abc123"));
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
});

test("no secret value appears outside secrets.env and the private files derived from it, nor in the output", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    const first = await runCli(["generate"], dir, { random: nanoidRandom });
    const json = await runCli(["generate", "--json"], dir, { random: nanoidRandom });
    const secretValues = [...values(dir).values()];
    assert.is(secretValues.length, 6);
    for (const [file, entry] of snapshot(dir)) {
      // secrets/ holds each service's own copy (gitignored, like secrets.env).
      if (file === "secrets.env" || file.startsWith(`secrets${path.sep}`)) continue;
      for (const value of secretValues) assert.not.ok(entry.contents.includes(value), `${file} contains a secret`);
    }
    for (const value of secretValues) {
      assert.not.ok(first.stdout.includes(value) || first.stderr.includes(value) || json.stdout.includes(value));
    }
  } finally {
    removeDir(dir);
  }
});

test.run();
