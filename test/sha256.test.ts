// The manifest's hashes and the htpasswd salt come from sha256-wasm (src/util/sha256.ts), not
// node:crypto: both must give node:crypto's bytes for every input, and a Node without
// WebAssembly (--jitless) must generate the same files through node:crypto.
import { createHash, createHmac } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { hmacSha256, sha256Hex } from "../src/util/sha256.js";
import { CLI, ROOT } from "./helpers/paths.js";
import { listFiles, removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("sha256: sha256-wasm gives node:crypto's digests; without WebAssembly, node:crypto gives the same files");

const nodeSha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const nodeHmac = (key: string, message: string) => createHmac("sha256", key).update(message, "utf8").digest();

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

test("node --jitless (no WebAssembly) generates the same bytes, htpasswd and manifest included", () => {
  const config = readFileSync(path.join(ROOT, "llm.config.ts"), "utf8");
  const withWasm = tempDir();
  const without = tempDir();
  try {
    for (const dir of [withWasm, without]) writeFileSync(path.join(dir, "llm.config.ts"), config);
    const first = spawnSync(process.execPath, [CLI, "generate", "--quiet"], { cwd: withWasm, encoding: "utf8" });
    assert.is(first.status, 0, first.stderr);
    // The same secrets, so that every derived file can match.
    writeFileSync(path.join(without, "secrets.env"), readFileSync(path.join(withWasm, "secrets.env")), { mode: 0o600 });
    const second = spawnSync(process.execPath, ["--jitless", CLI, "generate", "--quiet"], { cwd: without, encoding: "utf8" });
    assert.is(second.status, 0, second.stderr);
    const files = listFiles(withWasm);
    assert.equal(listFiles(without), files);
    assert.ok(files.includes(".llm/manifest.json") && files.includes("secrets/traefik-users"), `${files.join(", ")}`);
    for (const file of files) assert.is(readFileSync(path.join(without, file), "utf8"), readFileSync(path.join(withWasm, file), "utf8"), file);
  } finally {
    removeDir(withWasm);
    removeDir(without);
  }
});

test.run();
