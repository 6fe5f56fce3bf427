// SHA-256 and HMAC-SHA-256 for the manifest (src/diff/manifest.ts) and the htpasswd salt
// (src/secrets/private-files.ts), computed by sha256-wasm: SHA-256 compiled to WebAssembly, ~3 KB.
// node:crypto gives the same digests, but loading it loads Node's stream modules as well (~45
// built-in modules, ~6 ms) on every run; compiling and running the WebAssembly costs ~2 ms.
// Measured on the whole of `llm generate`: ~5 ms less (ARCHITECTURE.md, "Where the time goes").
// Where the WebAssembly cannot run (sha256-wasm-loader.cjs says when), node:crypto computes the
// same bytes. test/sha256.test.ts compares both with node:crypto.
import { crypto } from "./lazy-crypto.js";
import { loadSha256Wasm } from "./sha256-wasm-loader.cjs";

/** Hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  const Sha256 = loadSha256Wasm();
  if (!Sha256) return crypto().createHash("sha256").update(text, "utf8").digest("hex");
  return Sha256().update(Buffer.from(text, "utf8")).digest("hex");
}

/** HMAC-SHA-256 of `message` under `key`, both as UTF-8. */
export function hmacSha256(key: string, message: string): Buffer {
  const Sha256 = loadSha256Wasm();
  if (!Sha256) return crypto().createHmac("sha256", key).update(message, "utf8").digest();
  // The digest is a view of the WebAssembly memory, which the next hash overwrites: copied out.
  return Buffer.from(Sha256.HMAC(Buffer.from(key, "utf8")).update(Buffer.from(message, "utf8")).digest());
}
