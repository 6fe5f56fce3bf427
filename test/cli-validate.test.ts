// `llm validate`: the checks of `generate`, with the same diagnostics, and no write.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXAMPLES } from "./helpers/paths.js";
import { copyExample, removeDir, runCli, snapshot, workspaceWith } from "./helpers/workspace.js";

const test = suite("llm validate: same diagnostics as generate, nothing written");

const BAD = `import { defineConfig } from "local-llm-stack";
export default defineConfig({
  presets: ["nvida"],
  ollama: { memry: "16g" },
  librechat: { port: "3080" },
});
`;

test("a valid config: one line, exit 0, no file written", async () => {
  const dir = copyExample(path.join(EXAMPLES, "nvidia-workstation"));
  try {
    const before = snapshot(dir);
    const run = await runCli(["validate"], dir);
    assert.is(run.code, 0);
    assert.is(run.stdout, "llm.config.ts is valid (presets: nvidia)\n");
    assert.is(run.stderr, "");
    assert.equal(snapshot(dir), before);
    const json = JSON.parse((await runCli(["validate", "--json"], dir)).stdout);
    assert.equal(json, {
      ok: true,
      config: "llm.config.ts",
      presets: ["nvidia"],
      files: ["docker-compose.yml", ".env", "librechat.yaml", ".gitignore", ".gitattributes"],
      warnings: [],
    });
  } finally {
    removeDir(dir);
  }
});

test("an invalid config: every problem at once, byte for byte what generate prints", async () => {
  const dir = workspaceWith("llm.config.ts", BAD);
  try {
    const before = snapshot(dir);
    const validate = await runCli(["validate"], dir);
    const generate = await runCli(["generate"], dir);
    assert.is(validate.code, 2);
    assert.is(generate.code, 2);
    assert.is(validate.stderr, generate.stderr);
    assert.is(
      validate.stderr,
      [
        "error CONFIG_INVALID: llm.config.ts has 3 problems",
        '  llm.config.ts: presets[0]: expected one of "cpu", "nvidia", "amd", "low-ram", found "nvida"; did you mean "nvidia"?',
        '      fix: use "nvidia"',
        '  llm.config.ts: ollama.memry: unknown key "memry"; did you mean "memory"? (expected one of: image, memory, cpus, port, publish, gpu, numParallel, maxLoadedModels, keepAlive, contextLength, kvCacheType, flashAttention, env)',
        '      fix: rename "memry" to "memory"',
        '  llm.config.ts: librechat.port: expected a whole number, found "3080"',
        "hint: fix the values above and run the command again; `llm validate` checks without writing",
        "",
      ].join("\n"),
    );
    assert.equal(snapshot(dir), before);
    const json = JSON.parse((await runCli(["validate", "--json"], dir)).stdout);
    assert.is(json.ok, false);
    assert.equal(
      json.error.diagnostics.map((d: { path: string }) => d.path),
      ["presets[0]", "ollama.memry", "librechat.port"],
    );
  } finally {
    removeDir(dir);
  }
});

test("a malformed secrets.env fails validate as it fails generate", async () => {
  const dir = copyExample(path.join(EXAMPLES, "minimal-cpu"));
  try {
    writeFileSync(path.join(dir, "secrets.env"), "CREDS_KEY=tooshort\n", { mode: 0o600 });
    const validate = await runCli(["validate"], dir);
    const generate = await runCli(["generate"], dir);
    assert.is(validate.code, 2);
    assert.is(validate.stderr, generate.stderr);
    assert.match(validate.stderr, "error SECRETS_INVALID: secrets.env has 1 problem");
    assert.not.match(validate.stderr, "tooshort");
  } finally {
    removeDir(dir);
  }
});

test("--set values are validated like the file's, named --set", async () => {
  const dir = copyExample(path.join(EXAMPLES, "minimal-cpu"));
  try {
    const run = await runCli(["validate", "--set", "librechat.port=99999"], dir);
    assert.is(run.code, 2);
    assert.match(run.stderr, "--set: librechat.port: expected a whole number from 1 to 65535, found 99999");
    const ok = await runCli(["validate", "--set", "librechat.port=8080", "--quiet"], dir);
    assert.is(ok.code, 0);
    assert.is(ok.stdout + ok.stderr, "");
  } finally {
    removeDir(dir);
  }
});

test.run();
