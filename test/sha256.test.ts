// The manifest's hashes come from sha256-wasm (src/util/sha256.ts), not node:crypto: they must be
// node:crypto's bytes for every input, and where the WebAssembly cannot run (no WebAssembly, or
// too little address space for its memory) node:crypto must generate the same files.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { sha256Hex } from "../src/util/sha256.js";
import { loadSha256Wasm } from "../src/util/sha256-wasm-loader.cjs";
import { CLI, ROOT } from "./helpers/paths.js";
import { listFiles, removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("sha256: sha256-wasm gives node:crypto's digests; without WebAssembly, node:crypto gives the same files");

const nodeSha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

test("these tests run the WebAssembly, not the fallback", () => {
  assert.ok(loadSha256Wasm(), "sha256-wasm loaded");
});

test("every length around the 64-byte block and its 55/56-byte padding edge, up to 300 bytes", () => {
  for (let length = 0; length <= 300; length++) {
    const text = "x".repeat(length);
    assert.is(sha256Hex(text), nodeSha256(text), `length ${length}`);
  }
});

test("large inputs (past the module's first memory page), repeated so that memory is reused", () => {
  for (const length of [65_535, 65_536, 65_537, 200_003, 1_000_000, 64, 0]) {
    const text = Array.from({ length }, (_, i) => String.fromCharCode(32 + (i % 90))).join("");
    assert.is(sha256Hex(text), nodeSha256(text), `length ${length}`);
  }
});

test("any text, UTF-8 encoded (property)", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 3000 }), (text) => sha256Hex(text) === nodeSha256(text)),
    { numRuns: 500 },
  );
});

/** Runs `script` (an ES module importing from src/) in a fresh Node process; its stdout. */
function inFreshProcess(script: string): string {
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  return run.stdout.trim();
}

const SHA256_MODULE = JSON.stringify(path.join(ROOT, "src", "util", "sha256.ts"));
const LOADER_MODULE = JSON.stringify(path.join(ROOT, "src", "util", "sha256-wasm-loader.cjs"));

test("a WebAssembly failure after loading (its memory cannot grow) falls back to node:crypto for this and every later hash", () => {
  const out = inFreshProcess(`
    import { createHash } from "node:crypto";
    const { loadSha256Wasm } = await import(${LOADER_MODULE});
    const { sha256Hex } = await import(${SHA256_MODULE});
    const Sha256 = loadSha256Wasm();
    const first = sha256Hex("before") === createHash("sha256").update("before").digest("hex");
    const original = Sha256.prototype.update;
    Sha256.prototype.update = () => { throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"); };
    const failed = sha256Hex("text") === createHash("sha256").update("text").digest("hex");
    // The WebAssembly works again, but is not used again: its memory may be in any state.
    let wasmCalls = 0;
    Sha256.prototype.update = function (...args) { wasmCalls++; return original.apply(this, args); };
    const later = sha256Hex("later") === createHash("sha256").update("later").digest("hex");
    console.log(first, failed, later, wasmCalls);`);
  assert.is(out, "true true true 0");
});

test("under ulimit -v 4 GB the WebAssembly cannot be instantiated: the loader says so instead of throwing", () => {
  // Plain CommonJS in plain Node: tsx itself needs WebAssembly.
  const script = `console.log(require(${LOADER_MODULE}).loadSha256Wasm() === null)`;
  const limited = spawnSync("sh", ["-c", 'ulimit -v 4000000 && exec "$0" "$@"', process.execPath, "-e", script], { encoding: "utf8" });
  assert.is(limited.status, 0, limited.stderr);
  assert.is(limited.stdout.trim(), "true");
  const unlimited = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.is(unlimited.stdout.trim(), "false", "and without the limit it loads");
});

test("an everyday run (outputs rewritten, secrets kept) does not load node:crypto", () => {
  const dir = tempDir();
  const hook = path.join(dir, "record-builtins.cjs");
  try {
    generateIn(dir, [process.execPath]);
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
    assert.not.ok(builtins.includes("NativeModule crypto"), "node:crypto loaded");
    assert.ok(existsSync(path.join(dir, "docker-compose.yml")));
  } finally {
    removeDir(dir);
  }
});

/** `llm generate --quiet` in a fresh folder with the repo's config and the given secrets. */
function generateIn(dir: string, command: string[], secrets?: Buffer): void {
  writeFileSync(path.join(dir, "llm.config.ts"), readFileSync(path.join(ROOT, "llm.config.ts"), "utf8"));
  if (secrets) writeFileSync(path.join(dir, "secrets.env"), secrets, { mode: 0o600 });
  const run = spawnSync(command[0]!, [...command.slice(1), CLI, "generate", "--quiet"], { cwd: dir, encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
}

for (const [name, command] of [
  ["node --jitless (no WebAssembly)", [process.execPath, "--jitless"]],
  // V8 reserves ~10 GB of address space for any WebAssembly memory; Node itself runs in 4 GB.
  ["ulimit -v 4 GB (no room for WebAssembly memory)", ["sh", "-c", `ulimit -v 4000000 && exec "$0" "$@"`, process.execPath]],
] as const) {
  test(`${name}: node:crypto generates the same bytes, manifest included, and keeps the htpasswd file`, () => {
    const withWasm = tempDir();
    const without = tempDir();
    try {
      generateIn(withWasm, [process.execPath]);
      // The same secrets, so that every derived file can match; the htpasswd line has a random
      // salt, so it is kept when it checks out (bcrypt runs without WebAssembly too).
      mkdirSync(path.join(without, "secrets"), { mode: 0o700 });
      cpSync(path.join(withWasm, "secrets", "traefik-users"), path.join(without, "secrets", "traefik-users"));
      generateIn(without, [...command], readFileSync(path.join(withWasm, "secrets.env")));
      const files = listFiles(withWasm);
      assert.equal(listFiles(without), files);
      assert.ok(files.includes(".llm/manifest.json") && files.includes("secrets/traefik-users"), files.join(", "));
      for (const file of files) assert.is(readFileSync(path.join(without, file), "utf8"), readFileSync(path.join(withWasm, file), "utf8"), file);
    } finally {
      removeDir(withWasm);
      removeDir(without);
    }
  });
}

test.run();
