// The caches that make `llm` start fast (src/cli/code-cache.ts, src/config/module-loader.ts) are
// only ever a speed-up: the same bytes with, without and with a broken cache; nothing written
// where it should not be; a cache folder that cannot be used is not an error.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadConfig } from "../src/config/load.js";
import { cacheDirFor, openCacheDir } from "../src/cli/code-cache.js";
import { configureModuleLoading, saveConfigCache } from "../src/config/module-loader.js";
import { acceptedCheck, rememberAcceptedOutputs, saveAcceptedOutputs } from "../src/app/accepted-outputs.js";
import type { OutputDefinition } from "../src/outputs/types.js";
import { sha256Hex } from "../src/util/sha256.js";
import { CLI, ROOT } from "./helpers/paths.js";
import { listFiles, removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("startup caches: code cache, transformed configs and accepted outputs change speed, never results");

const repoConfig = readFileSync(path.join(ROOT, "llm.config.ts"), "utf8");

// A bundle built a moment ago gets no code cache yet (src/cli/code-cache.ts, SETTLED_MS): the tests
// that count caches start once dist/core.cjs is old enough.
test.before(async () => {
  await settle(path.join(ROOT, "dist", "core.cjs"));
});

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
  const stderr = result.stderr
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("[trace]"))
    .join("\n");
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

/** Waits until `file` last changed over 3 s ago (src/cli/code-cache.ts, SETTLED_MS). */
async function settle(file: string): Promise<void> {
  const wait = statSync(file).ctimeMs + 3100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** A project folder and a cache folder for one test, both removed afterwards. */
async function inProjectWithCache(body: (dir: string, cache: string) => void | Promise<void>): Promise<void> {
  const dir = tempDir();
  const cache = tempDir("llm-cache-");
  try {
    await body(dir, cache);
  } finally {
    removeDir(dir);
    removeDir(cache);
  }
}

const codeCaches = (dir: string) =>
  existsSync(path.join(dir, "v8"))
    ? readdirSync(path.join(dir, "v8"))
        .filter((name) => name.endsWith(".v8"))
        .sort()
    : [];

test("an everyday run (outputs rewritten, secrets kept) loads no child_process, net or dgram: only a command that runs git or docker does", () => {
  const dir = tempDir();
  const hook = path.join(dir, "record-builtins.cjs");
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), readFileSync(path.join(ROOT, "examples", "all-modules", "llm.config.ts"), "utf8"));
    assert.is(spawnSync(process.execPath, [CLI, "generate", "--quiet"], { cwd: dir, encoding: "utf8" }).status, 0);
    writeFileSync(hook, 'process.on("exit", () => require("node:fs").writeFileSync(process.env.LLM_TEST_BUILTINS, process.moduleLoadList.join("\\n")));\n');
    rmSync(path.join(dir, "docker-compose.yml"));
    const run = spawnSync(process.execPath, ["--require", hook, CLI, "generate", "--quiet"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, LLM_TEST_BUILTINS: path.join(dir, "builtins.txt") },
    });
    assert.is(run.status, 0, run.stderr);
    const builtins = readFileSync(path.join(dir, "builtins.txt"), "utf8").split("\n");
    assert.ok(builtins.includes("NativeModule fs"), "the list was recorded");
    // Before: host/git.ts and io/docker.ts imported it at their top, so every run loaded it with Node's net and dgram modules.
    for (const name of ["child_process", "net", "dgram"]) assert.not.ok(builtins.includes(`NativeModule ${name}`), `node:${name} loaded`);
    assert.ok(existsSync(path.join(dir, "docker-compose.yml")));
  } finally {
    removeDir(dir);
  }
});

test("a cold cache, a warm cache and no cache give the same bytes; the code cache is written once per command", () =>
  inProjectWithCache((dir, cache) => {
    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig);
    const cold = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache });
    assert.is(cold.status, 0, cold.stderr);
    assert.is(cacheState(cold), "missing");
    const reference = snapshotOutputs(dir);
    const written = codeCaches(cache);
    assert.is(written.length, 1);
    assert.match(written[0]!, /^core-[0-9a-f]{16}-generate\.v8$/);
    const cacheFile = path.join(cache, "v8", written[0]!);
    assert.ok(statSync(cacheFile).size > 100_000, "the cache holds the compiled bundle");
    assert.is(statSync(cacheFile).mode & 0o777, 0o600);
    assert.is(statSync(path.join(cache, "v8")).mode & 0o777, 0o700);
    const cacheBytes = readFileSync(cacheFile);
    const cacheMtime = statSync(cacheFile).mtimeMs;
    const transformed = readdirSync(path.join(cache, "configs"));
    assert.equal(transformed.length, 1);
    assert.match(transformed[0]!, /^[0-9a-f]{16}\.js$/);
    assert.ok(readFileSync(path.join(cache, "configs", transformed[0]!), "utf8").startsWith("// function\n"), "the repo's config runs in memory");
    assert.is(statSync(path.join(cache, "configs", transformed[0]!)).mode & 0o777, 0o600, "a config may hold an inline secret");

    deleteOutputs(dir);
    const warm = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache });
    assert.is(warm.status, 0, warm.stderr);
    assert.is(cacheState(warm), "used");
    assert.equal(snapshotOutputs(dir), reference);
    assert.equal(codeCaches(cache), written);
    assert.ok(readFileSync(cacheFile).equals(cacheBytes) && statSync(cacheFile).mtimeMs === cacheMtime, "a used cache is not written again");

    deleteOutputs(dir);
    const none = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: "off" });
    assert.is(none.status, 0, none.stderr);
    assert.is(cacheState(none), "off");
    assert.equal(snapshotOutputs(dir), reference);

    const validate = llm(["validate"], dir, { LLM_CACHE_DIR: cache });
    assert.is(validate.status, 0, validate.stderr);
    assert.equal(
      codeCaches(cache).map((name) => name.replace(/.*-/, "")),
      ["generate.v8", "validate.v8"],
      "each command keeps its own cache",
    );
  }));

test("a code cache V8 rejects (made under other V8 flags) is replaced; the run is not affected", () => {
  const dir = tempDir();
  const cache = tempDir("llm-cache-");
  const other = tempDir("llm-cache-");
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig);
    assert.is(llm(["validate"], dir, { LLM_CACHE_DIR: cache }).status, 0);
    const underOtherFlags = spawnSync(process.execPath, ["--no-opt", CLI, "validate"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, LLM_CACHE_DIR: other },
    });
    assert.is(underOtherFlags.status, 0, underOtherFlags.stderr);
    const [name] = codeCaches(cache);
    const [foreign] = codeCaches(other);
    const file = path.join(cache, "v8", name!);
    const planted = readFileSync(path.join(other, "v8", foreign!));
    writeFileSync(file, planted);
    const run = llm(["validate"], dir, { LLM_CACHE_DIR: cache });
    assert.is(run.status, 0, run.stderr);
    assert.is(cacheState(run), "rejected");
    assert.match(run.stdout, /llm\.config\.ts is valid/);
    assert.not.ok(readFileSync(file).equals(planted), "replaced");
    assert.is(cacheState(llm(["validate"], dir, { LLM_CACHE_DIR: cache })), "used");
  } finally {
    removeDir(dir);
    removeDir(cache);
    removeDir(other);
  }
});

test("an edited bundle of the same size and mtime does not run the cached code; a just-changed bundle gets no cache yet", async () => {
  // A copy of dist/ inside node_modules, so the bundle's own imports still resolve.
  const copy = path.join(ROOT, "node_modules", ".cache", `llm-dist-${process.pid}`);
  const dir = tempDir();
  const cache = tempDir("llm-cache-");
  try {
    cpSync(path.join(ROOT, "dist"), copy, { recursive: true, preserveTimestamps: true });
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ models: ["llama3.2:1b"] }));
    const run = (args: string[]) =>
      spawnSync(process.execPath, [path.join(copy, "llm.cjs"), ...args], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", LLM_CACHE_DIR: cache, LLM_TRACE: "1" },
      });
    const stateOf = (result: ReturnType<typeof run>) => /code cache (\w+)/.exec(result.stderr)?.[1];
    const core = path.join(copy, "core.cjs");
    // A bundle whose ctime is a moment ago gets no cache until it is a few seconds old, so an edit
    // on a filesystem with coarse timestamps cannot share its name. (chmod to the same mode sets
    // the ctime to now, however long the copy took.)
    chmodSync(core, statSync(core).mode & 0o777);
    assert.match(run(["validate"]).stdout, /is valid/);
    assert.is(codeCaches(cache).length, 0, "a bundle changed a moment ago is not cached");
    await settle(core);
    assert.match(run(["validate"]).stdout, /is valid/);
    assert.is(codeCaches(cache).length, 1);
    const { atime, mtime } = statSync(core);
    const text = readFileSync(core, "latin1");
    assert.ok(text.includes('"valid"'));
    writeFileSync(core, text.replace('"valid"', '"VALID"'), "latin1");
    utimesSync(core, atime, mtime);
    assert.is(statSync(core).size, Buffer.byteLength(text, "latin1"), "same size");
    assert.match(run(["validate"]).stdout, /is VALID/);
    await settle(core);
    assert.match(run(["validate"]).stdout, /is VALID/);
    assert.is(codeCaches(cache).length, 2, "the edited bundle has a cache of its own");
    const fromCache = run(["validate"]);
    assert.match(fromCache.stdout, /is VALID/);
    assert.is(stateOf(fromCache), "used", "and runs from it");
  } finally {
    removeDir(copy);
    removeDir(dir);
    removeDir(cache);
  }
});

test("a cache file far larger than any the bundle compiles to is ignored and replaced, not read", () =>
  inProjectWithCache((dir, cache) => {
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ models: ["llama3.2:1b"] }));
    assert.is(llm(["validate"], dir, { LLM_CACHE_DIR: cache }).status, 0);
    const [name] = codeCaches(cache);
    const file = path.join(cache, "v8", name!);
    // A sparse 5 GB file: reading it whole would fail (or take that much memory) on every run.
    truncateSync(file, 5 * 1024 ** 3);
    const run = llm(["validate"], dir, { LLM_CACHE_DIR: cache });
    assert.is(run.status, 0, run.stderr);
    assert.is(run.stderr, "");
    assert.is(cacheState(run), "missing");
    assert.ok(statSync(file).size < 10 * 1024 ** 2, "replaced by a real cache");
    assert.is(cacheState(llm(["validate"], dir, { LLM_CACHE_DIR: cache })), "used");
  }));

test("a run that fails writes no cache at all", () =>
  inProjectWithCache((dir, cache) => {
    writeFileSync(
      path.join(dir, "llm.config.ts"),
      `import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["llama3.2:1b"], librechat: { endpoints: [{ name: "OpenRouter", baseURL: "https://openrouter.ai/api/v1", apiKey: "sk-or-v1-SECRET", modles: [] }] } } as never);\n`,
    );
    const run = llm(["validate"], dir, { LLM_CACHE_DIR: cache, LLM_TRACE: undefined });
    assert.is(run.status, 2);
    assert.equal(readdirSync(cache), []);
  }));

test("help and --version leave no code cache, a tab completion does: the next run of the command compiles its own work and caches that", () =>
  inProjectWithCache((dir, cache) => {
    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig);
    // Not the launcher's prerendered help (exactly `llm generate --help`): yargs answers these.
    for (const args of [
      ["generate", "--quiet", "--help"],
      ["generate", "--version"],
    ]) {
      const run = llm(args, dir, { LLM_CACHE_DIR: cache });
      assert.is(run.status, 0, run.stderr);
      assert.ok(run.stdout.length > 0, `llm ${args.join(" ")} printed something`);
    }
    // Before: the help run wrote core-…-generate.v8 holding yargs' path only, and every later
    // `llm generate` used it and compiled the rest of its work anew (the validator alone ~6 ms).
    assert.equal(codeCaches(cache), []);
    // A tab completion is work worth caching: every Tab press runs it.
    const completing = llm(["--get-yargs-completions", "llm", "gen"], dir, { LLM_CACHE_DIR: cache });
    assert.is(completing.status, 0, completing.stderr);
    assert.match(completing.stdout, /^generate/m);
    assert.is(codeCaches(cache).length, 1, "the completion's run wrote its cache");
    const generate = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache });
    assert.is(generate.status, 0, generate.stderr);
    assert.is(cacheState(generate), "missing");
    assert.equal(
      codeCaches(cache).map((name) => name.replace(/.*-/, "")),
      ["generate.v8", "llm.v8"],
    );
  }));

test("the code caches are pruned to the newest 32; leftovers of killed runs go", () =>
  inProjectWithCache((dir, cache) => {
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ models: ["llama3.2:1b"] }));
    mkdirSync(path.join(cache, "v8"), { mode: 0o700 });
    const old = new Date(Date.now() - 3600_000);
    for (let i = 0; i < 40; i++) {
      writeFileSync(path.join(cache, "v8", `core-${String(i).padStart(20, "0")}-generate.v8`), "old");
      utimesSync(path.join(cache, "v8", `core-${String(i).padStart(20, "0")}-generate.v8`), old, new Date(old.getTime() + i * 1000));
    }
    writeFileSync(path.join(cache, "v8", "core-x-generate.v8.123.tmp"), "killed");
    utimesSync(path.join(cache, "v8", "core-x-generate.v8.123.tmp"), old, old);
    writeFileSync(path.join(cache, "notes.txt"), "mine");
    assert.is(llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache }).status, 0);
    const left = codeCaches(cache);
    assert.is(left.length, 32);
    assert.ok(left.includes(`core-${"39".padStart(20, "0")}-generate.v8`) && !left.includes(`core-${"8".padStart(20, "0")}-generate.v8`), "the oldest went");
    assert.not.ok(existsSync(path.join(cache, "v8", "core-x-generate.v8.123.tmp")));
    assert.ok(existsSync(path.join(cache, "notes.txt")));
  }));

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

test("where the cache goes: per platform, absolute folders only, none when there is no home", () => {
  const at = (env: Record<string, string>, platform: NodeJS.Platform, home: string | (() => string)) =>
    cacheDirFor({ env, platform, home: typeof home === "string" ? () => home : home });
  assert.is(at({}, "linux", "/home/ada"), "/home/ada/.cache/local-llm-stack");
  assert.is(at({ XDG_CACHE_HOME: "/var/cache/ada" }, "linux", "/home/ada"), "/var/cache/ada/local-llm-stack");
  assert.is(at({ XDG_CACHE_HOME: "relative/cache" }, "linux", "/home/ada"), "/home/ada/.cache/local-llm-stack", "a relative XDG_CACHE_HOME is ignored");
  assert.is(at({}, "linux", ""), undefined, "an empty home is not the current folder");
  assert.is(
    at({}, "linux", () => {
      throw new Error("no passwd entry");
    }),
    undefined,
  );
  assert.is(at({}, "darwin", "/Users/ada"), "/Users/ada/Library/Caches/local-llm-stack");
  // (Windows paths are only absolute to path.win32; the folder layout is what is checked here.)
  assert.is(at({ LOCALAPPDATA: "/c/Users/ada/AppData/Local" }, "win32", "/c/Users/ada"), path.join("/c/Users/ada/AppData/Local", "local-llm-stack", "Cache"));
  assert.is(at({}, "win32", "/c/Users/ada"), undefined);
  assert.is(at({ LLM_CACHE_DIR: "off" }, "linux", "/home/ada"), undefined);
  assert.is(at({ LLM_CACHE_DIR: "/tmp/mine" }, "linux", "/home/ada"), "/tmp/mine");
});

test("a cache folder others can write to is not used: it would let them put code into every run", () => {
  const base = tempDir("llm-cache-");
  try {
    const own = path.join(base, "own");
    assert.is(openCacheDir(own), own);
    assert.is(statSync(own).mode & 0o777, 0o700);
    const shared = path.join(base, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    assert.is(openCacheDir(shared), undefined);
    writeFileSync(path.join(base, "file"), "");
    assert.is(openCacheDir(path.join(base, "file")), undefined);
    assert.is(openCacheDir(undefined), undefined);
  } finally {
    removeDir(base);
  }
});

test("the transformed-config cache is keyed by the source: a cached entry is used, an edit misses it, another source's entry under the same name is not used", async () => {
  const dir = tempDir();
  const cache = tempDir("llm-cache-");
  try {
    const file = path.join(dir, "llm.config.ts");
    writeFileSync(file, `import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["llama3.2:1b"] as string[] });\n`);
    configureModuleLoading({ cacheDir: cache });
    const first = await loadConfig(dir);
    assert.ok(first.ok);
    assert.equal(first.value.data, { models: ["llama3.2:1b"] });
    assert.not.ok(existsSync(path.join(cache, "configs")), "written only once the command succeeded");
    saveConfigCache();
    const [entry] = readdirSync(path.join(cache, "configs"));
    const cached = path.join(cache, "configs", entry!);
    // A cache entry is trusted as the transform of exactly this source: prove it is read. (Its
    // first two lines are the kind and the key, which holds the source.)
    const text = readFileSync(cached, "utf8");
    const codeStart = text.indexOf("\n", text.indexOf("\n") + 1) + 1;
    assert.ok(text.slice(0, codeStart).includes("llama3.2:1b"), "the entry holds the source it was made from");
    writeFileSync(cached, text.slice(0, codeStart) + text.slice(codeStart).replace("llama3.2:1b", "from-the-cache:1b"));
    const second = await loadConfig(dir);
    assert.ok(second.ok);
    assert.equal(second.value.data, { models: ["from-the-cache:1b"] });
    writeFileSync(file, `import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["qwen2.5:0.5b"] as string[] });\n`);
    const edited = await loadConfig(dir);
    assert.ok(edited.ok);
    assert.equal(edited.value.data, { models: ["qwen2.5:0.5b"] });
    saveConfigCache();
    const entries = readdirSync(path.join(cache, "configs"));
    assert.is(entries.length, 2);
    // Entry names are 64-bit hashes: should two sources share one, the entry's key tells them apart.
    const other = path.join(
      cache,
      "configs",
      entries.find((name) => name !== entry)!,
    );
    writeFileSync(cached, readFileSync(other, "utf8"));
    writeFileSync(file, `import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["llama3.2:1b"] as string[] });\n`);
    const collided = await loadConfig(dir);
    assert.ok(collided.ok);
    assert.equal(collided.value.data, { models: ["llama3.2:1b"] }, "transformed again, not taken from the other source's entry");
  } finally {
    configureModuleLoading({});
    removeDir(dir);
    removeDir(cache);
  }
});

const acceptedFiles = (cache: string) => (existsSync(path.join(cache, "accepted")) ? readdirSync(path.join(cache, "accepted")).sort() : []);
const parsedBack = (run: Run) => Number(/rendered, (\d+) parsed back/.exec(run.trace.join("\n"))?.[1] ?? NaN);

test("files already parsed back are not read back again: the same bytes, one cache file per build, written only when something new was accepted", () =>
  inProjectWithCache((dir, cache) => {
    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig);
    const cold = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache });
    assert.is(cold.status, 0, cold.stderr);
    const reference = snapshotOutputs(dir);
    const rendered = Object.keys(JSON.parse(reference[".llm/manifest.json"]!).files as Record<string, unknown>).filter((file) => !file.startsWith("secrets/"));
    assert.is(parsedBack(cold), rendered.length, "a cold cache reads every rendered file back");
    const [entry, ...more] = acceptedFiles(cache);
    assert.equal(more, []);
    assert.match(entry!, /^[0-9a-f]{32}\.txt$/);
    const file = path.join(cache, "accepted", entry!);
    assert.is(statSync(file).mode & 0o777, 0o600);
    assert.is(readFileSync(file, "utf8").trim().split("\n").length, rendered.length);
    const mtime = statSync(file).mtimeMs;

    deleteOutputs(dir);
    const warm = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache });
    assert.is(warm.status, 0, warm.stderr);
    assert.is(parsedBack(warm), 0, "every rendered file was accepted before");
    assert.equal(snapshotOutputs(dir), reference);
    assert.is(statSync(file).mtimeMs, mtime, "nothing new accepted: the cache file is not written");

    writeFileSync(path.join(dir, "llm.config.ts"), repoConfig.replace('title: "Local LLM Stack"', 'title: "Accepted"'));
    assert.ok(readFileSync(path.join(dir, "llm.config.ts"), "utf8").includes('"Accepted"'));
    const edited = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: cache });
    assert.is(edited.status, 0, edited.stderr);
    assert.ok(parsedBack(edited) >= 1, "new bytes are read back");
    assert.ok(readFileSync(file, "utf8").trim().split("\n").length > rendered.length);

    const none = llm(["generate", "--quiet"], dir, { LLM_CACHE_DIR: "off" });
    assert.is(none.status, 0, none.stderr);
    assert.is(parsedBack(none), rendered.length, "without a cache every file is read back");
  }));

test("an accepted entry is trusted for its build and its exact bytes only; other lines in the file are ignored", () => {
  const cache = tempDir("llm-cache-");
  const yaml = { path: "docker-compose.yml", syntax: "yaml" } as OutputDefinition;
  const broken = "services: [\n";
  try {
    rememberAcceptedOutputs(cache, "a".repeat(64));
    assert.ok(acceptedCheck(yaml, broken).length > 0, "bytes that do not parse are reported");
    assert.equal(acceptedCheck(yaml, "services: {}\n"), []);
    saveAcceptedOutputs();
    const file = path.join(cache, "accepted", `${"a".repeat(32)}.txt`);
    assert.equal(readFileSync(file, "utf8"), `${sha256Hex("yaml\0services: {}\n")}\n`, "only what parsed is remembered");
    // Planted: the broken bytes as if this build had accepted them, beside lines that are no entry.
    writeFileSync(file, `not an entry\n${sha256Hex(`yaml\0${broken}`)}\n${"z".repeat(64)}\n`);
    rememberAcceptedOutputs(cache, "a".repeat(64));
    assert.equal(acceptedCheck(yaml, broken), [], "the parse-back is skipped for accepted bytes");
    assert.ok(acceptedCheck({ ...yaml, syntax: "json" } as OutputDefinition, broken).length > 0, "the entry names the syntax too");
    assert.ok(acceptedCheck(yaml, `${broken} `).length > 0, "one byte more is other bytes");
    rememberAcceptedOutputs(cache, "b".repeat(64));
    assert.ok(acceptedCheck(yaml, broken).length > 0, "another build reads everything back");
    rememberAcceptedOutputs(undefined, "a".repeat(64));
    assert.ok(acceptedCheck(yaml, broken).length > 0, "no cache folder: no cache");
  } finally {
    rememberAcceptedOutputs(undefined, undefined);
    removeDir(cache);
  }
});

test.run();
