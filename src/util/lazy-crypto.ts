// node:crypto, loaded on first use: only to draw randomness (new secrets, temporary names), which
// an everyday run does not do; hashes come from src/util/sha256.ts. Loading node:crypto loads
// Node's stream modules too, ~45 built-in modules and ~370 KB of objects that live to the end of
// the run: ~6 ms, and when loaded at start-up, copied by both of a run's young-generation GCs
// (ARCHITECTURE.md, "Where the time goes"). So no module imports node:crypto at its top.
import type * as NodeCrypto from "node:crypto";

let loaded: typeof NodeCrypto | undefined;

export function crypto(): typeof NodeCrypto {
  return (loaded ??= process.getBuiltinModule("node:crypto"));
}
