// SHA-256 for the manifest (src/diff/manifest.ts), computed by sha256-wasm: SHA-256 compiled to
// WebAssembly, ~3 KB.
// node:crypto gives the same digests, but loading it loads Node's stream modules as well (~45
// built-in modules) on every run; compiling and running the WebAssembly costs less: ~2 ms less a
// run (randomized A/B; ARCHITECTURE.md, "Where the time goes"). Where the WebAssembly cannot run
// (sha256-wasm-loader.cjs says when) or fails later (its memory cannot grow), node:crypto
// computes the same bytes. test/sha256.test.ts compares both with node:crypto.
//
// Every hash is made and finished within one call: the package's hash objects share one
// WebAssembly memory, and a hash that grows it leaves views held by other live objects detached.
import { crypto } from "./lazy-crypto.js";
import { loadSha256Wasm } from "./sha256-wasm-loader.cjs";

let wasmFailed = false;

function withWasm<T>(compute: (Sha256: NonNullable<ReturnType<typeof loadSha256Wasm>>) => T, fallback: () => T): T {
  const Sha256 = wasmFailed ? null : loadSha256Wasm();
  if (!Sha256) return fallback();
  try {
    return compute(Sha256);
  } catch {
    wasmFailed = true;
    return fallback();
  }
}

/** Digests of this run: a run hashes each file it renders more than once (the accepted-output
 * cache, the manifest, the hand-edit check of the same text read back from disk). */
const digests = new Map<string, string>();

/** Hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  const known = digests.get(text);
  if (known !== undefined) return known;
  const digest = withWasm(
    (Sha256) => Sha256().update(Buffer.from(text, "utf8")).digest("hex"),
    () => crypto().createHash("sha256").update(text, "utf8").digest("hex"),
  );
  digests.set(text, digest);
  return digest;
}
