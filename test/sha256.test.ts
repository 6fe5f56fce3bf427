// The manifest's hashes (src/util/sha256.ts) are SHA-256 of the files' UTF-8 bytes, whatever the
// text: a wrong encoding would make every committed manifest disagree with `sha256sum`.
import { createHash } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { sha256Hex } from "../src/util/sha256.js";

const test = suite("sha256: the manifest's digests are SHA-256 of the UTF-8 bytes");

test("known digests (FIPS 180-2 examples, and non-ASCII text as UTF-8)", () => {
  assert.is(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.is(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.is(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // "é" is two bytes in UTF-8 (c3 a9), one in latin1 (e9).
  assert.is(
    sha256Hex("é"),
    createHash("sha256")
      .update(Buffer.from([0xc3, 0xa9]))
      .digest("hex"),
  );
});

test("any text, UTF-8 encoded, and the same answer when asked again (property)", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 3000 }), (text) => {
      const expected = createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
      return sha256Hex(text) === expected && sha256Hex(text) === expected;
    }),
    { numRuns: 500 },
  );
});

test.run();
