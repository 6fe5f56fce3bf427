// The caches that make `llm` start fast (src/cli/code-cache.ts, src/config/module-loader.ts) are
// only ever a speed-up: the same bytes with, without and with a broken cache; nothing written
// where it should not be; a cache folder that cannot be used is not an error.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadConfig } from "../src/config/load.js";
import { configureModuleLoading } from "../src/config/module-loader.js";
import { CLI, ROOT } from "./helpers/paths.js";
import { listFiles, removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("startup caches: code cache and transformed configs change speed, never results");

const repoConfig = readFileSync(path.join(ROOT, "llm.config.ts"), "utf8");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  trace: string[];
}

/** A real `llm` process; `env` entries set to undefined are removed. */
function llm(args: string[], cwd: string, env: Record<string, string | undefined>): Run {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", LLM_TRACE: "1", ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env: merged as NodeJS.ProcessEnv, encoding: "utf8" });
  const trace = result.stderr.split("\n").filter((line) => line.startsWith("[trace]"));
  const stderr = result.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("[trace]")).join("\n");
  return { status: result.status, stdout: result.stdout, stderr, trace };
}

const cacheState = (run: Run) => /code cache (\w+)/.exec(run.trace.find((line) => line.includes("code cache")) ?? "")?.[1];

/** Every generated file's bytes (secrets included: they are created once and then kept). */
function snapshotOutputs(dir: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(dir, ".llm", "manifest.json"), "utf8")) as { files: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const file of [...Object.keys(manifest.files), ".llm/manifest.json", "secrets.env"].sort()) out[file] = readFileSync(path.join(dir, file), "utf8");
  return out;
}

function deleteOutputs(dir: string): void {
  const manifest = JSON.parse(readFileSync(path.join(dir, ".llm", "manifest.json"), "utf8")) as { files: Record<string, unknown> };
  for (const file of Object.keys(manifest.files)) if (!file.startsWith("secrets/")) rmSync(path.join(dir, file));
}

const codeCaches = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".v8")).sort() : []);

test("a cold cache, a warm cache and no cache give the same bytes; the code cache is written once per command", () => {
  const dir = tempDir();
  const cache = tempDir("llm-cache-");
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig);
    const cold = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache });
    assert.is(cold.status, 0, cold.stderr);
    assert.is(cacheState(cold), "missing");
    const reference = snapshotOutputs(dir);
    const written = codeCaches(cache);
    assert.is(written.length, 1);
    assert.match(written[0]!, new RegExp(`^core-${process.version.replace(/\./g, "\\.")}-${process.arch}-\\d+-\\d+-\\w+-generate\\.v8$`));
    assert.ok(statSync(path.join(cache, written[0]!)).size > 100_000, "the cache holds the compiled bundle");
    const transformed = readdirSync(path.join(cache, "configs"));
    assert.equal(transformed.length, 1);
    assert.match(transformed[0]!, /^[0-9a-f]{64}\.js$/);
    assert.ok(readFileSync(path.join(cache, "configs", transformed[0]!), "utf8").startsWith("// function\n"), "the repo's config runs in memory");

    deleteOutputs(dir);
    const warm = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache });
    assert.is(warm.status, 0, warm.stderr);
    assert.is(cacheState(warm), "used");
    assert.equal(snapshotOutputs(dir), reference);
    assert.equal(codeCaches(cache), written, "a used cache is not written again");

    deleteOutputs(dir);
    const none = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: "off" });
    assert.is(none.status, 0, none.stderr);
    assert.is(cacheState(none), "off");
    assert.equal(snapshotOutputs(dir), reference);

    const validate = llm(["validate"], dir, { LLM_CACHE_DIR: cache });
    assert.is(validate.status, 0, validate.stderr);
    assert.equal(codeCaches(cache).map((name) => name.replace(/.*-/, "")), ["generate.v8", "validate.v8"], "each command keeps its own cache");
  } finally {
    removeDir(dir);
    removeDir(cache);
  }
});

test("a corrupt code cache is rejected by V8, the run succeeds and the cache is rewritten", () => {
  const dir = tempDir();
  const cache = tempDir("llm-cache-");
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig);
    assert.is(llm(["validate"], dir, { LLM_CACHE_DIR: cache }).status, 0);
    const [name] = codeCaches(cache);
    const file = path.join(cache, name!);
    const garbage = Buffer.alloc(statSync(file).size, 0x5a);
    writeFileSync(file, garbage);
    const run = llm(["validate"], dir, { LLM_CACHE_DIR: cache });
    assert.is(run.status, 0, run.stderr);
    assert.is(cacheState(run), "rejected");
    assert.match(run.stdout, /llm\.config\.ts is valid/);
    assert.not.equal(readFileSync(file), garbage, "rewritten");
    assert.is(cacheState(llm(["validate"], dir, { LLM_CACHE_DIR: cache })), "used");
  } finally {
    removeDir(dir);
    removeDir(cache);
  }
});

test("caches of other Node versions or bundles are pruned; other files in the folder stay", () => {
  const dir = tempDir();
  const cache = tempDir("llm-cache-");
  try {
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ models: ["llama3.2:1b"] }));
    writeFileSync(path.join(cache, "core-v0.0.1-x64-1-1-abc-generate.v8"), "stale");
    writeFileSync(path.join(cache, "notes.txt"), "mine");
    assert.is(llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache }).status, 0);
    assert.not.ok(existsSync(path.join(cache, "core-v0.0.1-x64-1-1-abc-generate.v8")));
    assert.ok(existsSync(path.join(cache, "notes.txt")));
    assert.is(codeCaches(cache).length, 1);
  } finally {
    removeDir(dir);
    removeDir(cache);
  }
});

test("a cache folder that cannot be created is no error: same exit code, nothing on stderr", () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig);
    writeFileSync(path.join(dir, "not-a-folder"), "");
    const run = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: path.join(dir, "not-a-folder", "cache"), LLM_TRACE: undefined });
    assert.is(run.status, 0, run.stderr);
    assert.is(run.stderr, "");
    assert.ok(existsSync(path.join(dir, "docker-compose.yml")));
  } finally {
    removeDir(dir);
  }
});

test("the cache lives in $XDG_CACHE_HOME or ~/.cache, never in the project; LLM_CACHE_DIR=off writes none", () => {
  const dir = tempDir();
  const home = tempDir("llm-home-");
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig);
    const projectBefore = listFiles(dir);
    assert.is(llm(["validate"], dir, { LLM_CACHE_DIR: "off", HOME: home, XDG_CACHE_HOME: undefined }).status, 0);
    assert.equal(readdirSync(home), []);
    assert.equal(listFiles(dir), projectBefore);

    assert.is(llm(["validate"], dir, { LLM_CACHE_DIR: undefined, HOME: home, XDG_CACHE_HOME: undefined }).status, 0);
    assert.is(codeCaches(path.join(home, ".cache", "local-llm-stack")).length, 1);
    const xdg = path.join(home, "xdg");
    mkdirSync(xdg);
    assert.is(llm(["validate"], dir, { LLM_CACHE_DIR: undefined, HOME: home, XDG_CACHE_HOME: xdg }).status, 0);
    assert.is(codeCaches(path.join(xdg, "local-llm-stack")).length, 1);
    assert.equal(listFiles(dir), projectBefore, "nothing cached beside the config");
  } finally {
    removeDir(dir);
    removeDir(home);
  }
});

test("the transformed-config cache is keyed by the source: a cached entry is used, an edit misses it", async () => {
  const dir = tempDir();
  const cache = tempDir("llm-cache-");
  try {
    const file = path.join(dir, "llm.config.ts");
    writeFileSync(file, `import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["llama3.2:1b"] as string[] });\n`);
    configureModuleLoading({ cacheDir: cache });
    const first = await loadConfig(dir);
    assert.ok(first.ok);
    assert.equal(first.value.data, { models: ["llama3.2:1b"] });
    const [entry] = readdirSync(path.join(cache, "configs"));
    const cached = path.join(cache, "configs", entry!);
    // A cache entry is trusted as the transform of exactly this source: prove it is read.
    writeFileSync(cached, readFileSync(cached, "utf8").replace("llama3.2:1b", "from-the-cache:1b"));
    const second = await loadConfig(dir);
    assert.ok(second.ok);
    assert.equal(second.value.data, { models: ["from-the-cache:1b"] });
    writeFileSync(file, `import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["qwen2.5:0.5b"] as string[] });\n`);
    const edited = await loadConfig(dir);
    assert.ok(edited.ok);
    assert.equal(edited.value.data, { models: ["qwen2.5:0.5b"] });
    assert.is(readdirSync(path.join(cache, "configs")).length, 2);
  } finally {
    configureModuleLoading({});
    removeDir(dir);
    removeDir(cache);
  }
});

test.run();
