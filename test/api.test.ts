// The programmatic API, imported from the built package root (dist/index.js) as users do.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LlmError, defineConfig, generate, loadConfig, validate, type ConfigLayer, type LlmConfig } from "../dist/index.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { removeDir, snapshot, tempDir } from "./helpers/workspace.js";

const test = suite("API: defineConfig, loadConfig, generate (in memory), validate");

test("defineConfig returns its argument unchanged (types only)", () => {
  const config: ConfigLayer = { presets: ["nvidia"], models: ["llama3.2:3b"], ollama: { memory: "16g" } };
  assert.is(defineConfig(config), config);
});

test("validate reports every problem with its path; a valid config has none", () => {
  assert.equal(validate({ presets: ["cpu"], models: ["llama3.2:3b"] }), []);
  const problems = validate({ presets: ["nvida"], ollama: { memry: "16g" } }, "my.config.ts");
  assert.equal(
    problems.map((p) => [p.file, p.path]),
    [
      ["my.config.ts", "presets[0]"],
      ["my.config.ts", "ollama.memry"],
    ],
  );
  assert.match(problems[1]?.message ?? "", 'did you mean "memory"?');
});

test("loadConfig + generate give, in memory, the bytes `llm generate` writes", async () => {
  const dir = path.join(EXAMPLES, "nvidia-workstation");
  const before = snapshot(dir);
  const loaded = await loadConfig(dir);
  assert.ok(loaded.ok);
  if (!loaded.ok) return;
  assert.is(loaded.value.file, "llm.config.ts");
  const result = generate(loaded.value.data, { file: loaded.value.file });
  assert.ok(result.ok);
  if (!result.ok) return;
  const files = Object.fromEntries(result.value.files.map((f) => [f.path, f.contents]));
  for (const name of ["docker-compose.yml", "librechat.yaml"]) assert.is(files[name], readFileSync(path.join(dir, name), "utf8"), name);
  assert.equal(result.value.stack.models, ["llama3.1:8b", "qwen2.5-coder:7b", "nomic-embed-text"]);
  assert.ok(!Object.keys(files).includes("secrets.env"), "secrets are never part of the in-memory result");
  assert.equal(snapshot(dir), before, "nothing written");
});

test("generate takes --set-like overrides and reports bad input as an LlmError value", () => {
  const config: LlmConfig = { presets: ["cpu"], models: ["llama3.2:3b"] };
  const overridden = generate(config, { overrides: { librechat: { port: 8080 } } });
  assert.ok(overridden.ok && overridden.value.stack.librechat.url === "http://localhost:8080");
  const bad = generate({ models: "llama3.2:3b" });
  assert.not.ok(bad.ok);
  if (bad.ok) return;
  assert.instance(bad.error, LlmError);
  assert.is(bad.error.code, "CONFIG_INVALID");
  assert.equal(
    bad.error.diagnostics.map((d) => d.path),
    ["models"],
  );
});

test("loadConfig without a config is a CONFIG_NOT_FOUND error, not a throw", async () => {
  const dir = tempDir();
  try {
    const loaded = await loadConfig(dir);
    assert.not.ok(loaded.ok);
    if (!loaded.ok) assert.is(loaded.error.code, "CONFIG_NOT_FOUND");
  } finally {
    removeDir(dir);
  }
});

test("the README's API example runs as written", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const example = /## Programmatic API\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, "README has a Programmatic API example");
  const dir = tempDir();
  try {
    const file = path.join(dir, "example.mjs");
    writeFileSync(file, (example ?? "").replace('from "local-llm-stack"', `from ${JSON.stringify(pathToFileURL(path.join(ROOT, "dist", "index.js")).href)}`));
    const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8" });
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stdout, /^docker-compose\.yml \d+\n\.env \d+\nlibrechat\.yaml \d+\n\.gitignore \d+\n\.gitattributes \d+\nhttp:\/\/localhost:8080\n$/);
  } finally {
    removeDir(dir);
  }
});

test.run();
