// `llm explain` / `llm config`: every resolved value with the layer that set it.
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertGoldenText } from "./helpers/golden-text.js";
import { EXAMPLES } from "./helpers/paths.js";
import { copyExample, removeDir, runCli, snapshot } from "./helpers/workspace.js";

const test = suite("llm explain: resolved values and where each came from");

let dir = "";
test.before(() => {
  dir = copyExample(path.join(EXAMPLES, "nvidia-workstation"));
});
test.after(() => removeDir(dir));

test("prints every value with its source (golden), and writes nothing", async () => {
  const before = snapshot(dir);
  const run = await runCli(["explain"], dir);
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stderr, "");
  assertGoldenText("explain-nvidia-workstation", run.stdout);
  assert.equal(snapshot(dir), before);
});

test("`llm config` is the same command", async () => {
  const explain = await runCli(["explain"], dir);
  const config = await runCli(["config"], dir);
  assert.is(config.code, 0);
  assert.is(config.stdout, explain.stdout);
});

test("--json names the layer of each value: defaults, preset, the file, --set", async () => {
  const run = await runCli(["explain", "--json", "--set", "ollama.keepAlive=1h", "--set", "librechat.port=8080"], dir);
  assert.is(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { config: string; presets: string[]; layers: string[]; values: { path: string; value: unknown; source: string }[] };
  assert.is(out.config, "llm.config.ts");
  assert.equal(out.layers, ["defaults", "preset nvidia", "llm.config.ts", "--set"]);
  const at = (p: string) => out.values.find((v) => v.path === p);
  assert.equal(at("bindAddress"), { path: "bindAddress", value: "127.0.0.1", source: "defaults" });
  assert.equal(at("ollama.gpu.vendor"), { path: "ollama.gpu.vendor", value: "nvidia", source: "preset nvidia" });
  assert.equal(at("ollama.contextLength"), { path: "ollama.contextLength", value: 8192, source: "preset nvidia", container: "OLLAMA_CONTEXT_LENGTH=8192" });
  assert.equal(at("ollama.memory"), { path: "ollama.memory", value: "24g", source: "llm.config.ts" });
  assert.equal(at("ollama.keepAlive"), { path: "ollama.keepAlive", value: "1h", source: "--set", container: "OLLAMA_KEEP_ALIVE=1h" });
  assert.equal(at("librechat.port"), { path: "librechat.port", value: 8080, source: "--set" });
  assert.equal(at("presets"), { path: "presets", value: ["nvidia"], source: "llm.config.ts" });
  assert.equal(at("models")?.source, "llm.config.ts");
  // Every leaf once, in a stable order.
  const paths = out.values.map((v) => v.path);
  assert.is(new Set(paths).size, paths.length);
  assert.is(paths[0], "name");
});

test("--set presets=[...] swaps the presets and is reported as --set", async () => {
  const run = await runCli(["explain", "ollama.gpu", "--json", "--set", 'presets=["cpu","low-ram"]'], dir);
  assert.is(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.presets, ["cpu", "low-ram"]);
  assert.equal(out.values, [{ path: "ollama.gpu.vendor", value: "none", source: "preset cpu" }]);
});

test("a path shows only the values below it", async () => {
  const run = await runCli(["explain", "librechat"], dir);
  assert.is(run.code, 0);
  assertGoldenText("explain-librechat", run.stdout);
});

test("an unknown path is an error with a suggestion", async () => {
  const run = await runCli(["explain", "olama"], dir);
  assert.is(run.code, 2);
  assert.is(run.stdout, "");
  assert.is(run.stderr, 'error USAGE: no value at "olama"; did you mean "ollama"?\nhint: run `llm explain` to see every path\n');
});

test("a bad --set is reported with the path it names, as `generate` would", async () => {
  const explain = await runCli(["explain", "--set", "ollama.memry=16g"], dir);
  const generate = await runCli(["generate", "--set", "ollama.memry=16g"], dir);
  assert.is(explain.code, 2);
  assert.is(explain.stderr, generate.stderr);
  assert.match(explain.stderr, '--set: ollama.memry: unknown key "memry"; did you mean "memory"?');
  const malformed = await runCli(["explain", "--set", "ollama.memory", "--set", "models[0]=x"], dir);
  assert.is(malformed.code, 2);
  assertGoldenText("explain-malformed-set", malformed.stderr);
});

test("--quiet prints nothing; a missing config is a clear error", async () => {
  const quiet = await runCli(["explain", "--quiet"], dir);
  assert.is(quiet.code, 0);
  assert.is(quiet.stdout + quiet.stderr, "");
  const missing = await runCli(["explain", "--cwd", "sub-folder-that-does-not-exist"], dir);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, "error CONFIG_NOT_FOUND");
});

test.run();
