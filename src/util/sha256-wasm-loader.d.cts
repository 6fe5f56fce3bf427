import type Sha256 from "sha256-wasm";

/** sha256-wasm, or null where its WebAssembly cannot be instantiated. */
export function loadSha256Wasm(): typeof Sha256 | null;
