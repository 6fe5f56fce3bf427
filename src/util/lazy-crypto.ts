// node:crypto, loaded on first use (the first hash or random value), never at start-up. Loading it
// loads Node's stream modules too, ~45 built-in modules and ~370 KB of objects that live to the end
// of the run: loaded with the bundle, both of a run's young-generation GCs copied all of it
// (ARCHITECTURE.md, "Where the time goes"). So no module imports node:crypto at its top.
import type * as NodeCrypto from "node:crypto";

let loaded: typeof NodeCrypto | undefined;

export function crypto(): typeof NodeCrypto {
  return (loaded ??= process.getBuiltinModule("node:crypto"));
}
