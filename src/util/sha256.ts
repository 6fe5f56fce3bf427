// SHA-256 for the manifest (src/diff/manifest.ts), the accepted-output cache and the checks that
// read files back, from node:crypto loaded on first use (lazy-crypto.ts). A WebAssembly SHA-256
// (sha256-wasm) was used before to keep node:crypto off the everyday path; measured again against
// node:crypto (hyperfine, 60 runs, twice) it saved nothing measurable (124 vs 122 ms), and it failed
// where V8 cannot reserve WebAssembly memory (`ulimit -v`), so the package no longer carries it.
import { crypto } from "./lazy-crypto.js";

/** Digests of this run: a run hashes each file it renders more than once (the accepted-output
 * cache, the manifest, the hand-edit check of the same text read back from disk). */
const digests = new Map<string, string>();

/** Hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  const known = digests.get(text);
  if (known !== undefined) return known;
  const digest = crypto().createHash("sha256").update(text, "utf8").digest("hex");
  digests.set(text, digest);
  return digest;
}
