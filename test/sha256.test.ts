// The manifest's hashes and the htpasswd salt come from sha256-wasm (src/util/sha256.ts), not
// node:crypto: both must give node:crypto's bytes for every input, and where the WebAssembly
// cannot run (no WebAssembly, or too little address space for its memory) node:crypto must
// generate the same files.
import { createHash, createHmac } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { hmacSha256, sha256Hex } from "../src/util/sha256.js";
import { loadSha256Wasm } from "../src/util/sha256-wasm-loader.cjs";
import { CLI, ROOT } from "./helpers/paths.js";
import { listFiles, removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("sha256: sha256-wasm gives node:crypto's digests; without WebAssembly, node:crypto gives the same files");

const nodeSha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const nodeHmac = (key: string, message: string) => createHmac("sha256", key).update(message, "utf8").digest();

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

test("HMAC for keys shorter than, equal to and longer than the block, interleaved with plain hashes (property)", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ unit: "binary", maxLength: 500 }), (key, message) => {
      const mac = hmacSha256(key, message);
      const between = sha256Hex(message);
      return mac.equals(nodeHmac(key, message)) && between === nodeSha256(message) && hmacSha256(key, message).equals(mac);
    }),
    { numRuns: 500 },
  );
  for (const length of [0, 1, 63, 64, 65, 128, 129])
    assert.ok(hmacSha256("k".repeat(length), "m").equals(nodeHmac("k".repeat(length), "m")), `key length ${length}`);
});

test("a returned HMAC is a copy: the next hash does not change it", () => {
  const mac = hmacSha256("key", "message");
  const copy = Buffer.from(mac);
  sha256Hex("something else entirely");
  hmacSha256("other", "other");
  assert.ok(mac.equals(copy));
});

/** Runs `script` (an ES module importing from src/) in a fresh Node process; its stdout. */
function inFreshProcess(script: string): string {
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  return run.stdout.trim();
}

const SHA256_MODULE = JSON.stringify(path.join(ROOT, "src", "util", "sha256.ts"));
const LOADER_MODULE = JSON.stringify(path.join(ROOT, "src", "util", "sha256-wasm-loader.cjs"));

test("an HMAC past the module's first memory page as the first hash of a process (the memory grows under the HMAC's own hashes)", () => {
  const out = inFreshProcess(`
    import { createHmac } from "node:crypto";
    const { hmacSha256 } = await import(${SHA256_MODULE});
    const key = "k".repeat(70_000), message = "m".repeat(100_000);
    console.log(hmacSha256(key, message).equals(createHmac("sha256", key).update(message).digest()));`);
  assert.is(out, "true");
});

test("a WebAssembly failure after loading (its memory cannot grow) falls back to node:crypto for this and every later hash", () => {
  const out = inFreshProcess(`
    import { createHash, createHmac } from "node:crypto";
    const { loadSha256Wasm } = await import(${LOADER_MODULE});
    const { hmacSha256, sha256Hex } = await import(${SHA256_MODULE});
    const Sha256 = loadSha256Wasm();
    Sha256.HMAC = () => { throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"); };
    const mac = hmacSha256("key", "message").equals(createHmac("sha256", "key").update("message").digest());
    console.log(mac, sha256Hex("text") === createHash("sha256").update("text").digest("hex"), process.moduleLoadList.includes("NativeModule crypto"));`);
  assert.is(out, "true true true");
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
  test(`${name}: node:crypto generates the same bytes, htpasswd and manifest included`, () => {
    const withWasm = tempDir();
    const without = tempDir();
    try {
      generateIn(withWasm, [process.execPath]);
      // The same secrets, so that every derived file can match.
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
