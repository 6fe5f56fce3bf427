// Configs that are too big, too deep, circular, never finish, or are not files at all: each is a
// named error with the file and a fix, exit non-zero, and nothing on disk changes.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CLI } from "./helpers/paths.js";
import { removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("config limits: size, depth, cycles, time, scale");

/** The built CLI in a child process, killed after `limitMs` (a hang fails the test, not the run). */
function llm(args: string[], cwd: string, limitMs = 60_000, env: Record<string, string> = {}) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: limitMs, maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: "1", ...env } });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr, ms: Date.now() - started };
}

test("100,000 models and 200,000 unknown keys take linear time, not quadratic", () => {
  const dir = tempDir();
  try {
    const n = 100_000;
    const config = {
      models: Array.from({ length: n }, (_, i) => `model-${i}:q4`),
      librechat: { endpoints: Array.from({ length: n / 10 }, (_, i) => ({ name: `Endpoint ${i}`, baseURL: `https://api${i}.example.com/v1`, apiKey: `\${KEY_${i}}`, models: { default: [`m-${i}`] } })) },
    };
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify(config));
    // Quadratic validation took ~10 s at 30,000 models, so ~110 s at 100,000; linear takes ~1.5 s.
    const models = llm(["validate", "--quiet"], dir);
    assert.is(models.status, 0, models.stderr + (models.signal ?? ""));
    assert.ok(models.ms < 20_000, `${n} models: ${models.ms} ms`);

    const unknown: Record<string, number> = {};
    for (let i = 0; i < 200_000; i++) unknown[`k${i}`] = 1;
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify(unknown));
    const keys = llm(["validate"], dir);
    assert.is(keys.status, 2, keys.signal ?? "");
    assert.match(keys.stderr, /^error CONFIG_INVALID: llm\.config\.json has 200000 problems\n/);
    assert.ok(keys.ms < 20_000, `200,000 unknown keys: ${keys.ms} ms`);
  } finally {
    removeDir(dir);
  }
});

test.run();
