// The manifest's hashes and the htpasswd salt come from sha256-wasm (src/util/sha256.ts), not
// node:crypto: both must give node:crypto's bytes for every input, and where the WebAssembly
// cannot run (no WebAssembly, or too little address space for its memory) node:crypto must
// generate the same files.
import { createHash, createHmac } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
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
  for (const length of [0, 1, 63, 64, 65, 128, 129]) assert.ok(hmacSha256("k".repeat(length), "m").equals(nodeHmac("k".repeat(length), "m")), `key length ${length}`);
});

test("a returned HMAC is a copy: the next hash does not change it", () => {
  const mac = hmacSha256("key", "message");
  const copy = Buffer.from(mac);
  sha256Hex("something else entirely");
  hmacSha256("other", "other");
  assert.ok(mac.equals(copy));
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
