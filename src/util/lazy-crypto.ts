// node:crypto, loaded on first use. Loading it also loads Node's stream modules: ~370 KB of
// objects that live to the end of the run. Loaded at start-up, they were allocated before both of
// a run's young-generation GCs and copied by each (to the survivor space, then to the old
// generation); loaded when the first hash is taken, after rendering and parsing back, they are
// copied by none. Measured: ~10 ms of a ~135 ms `llm generate` (ARCHITECTURE.md, "Where the time
// goes"). So no module imports node:crypto at its top.
import type * as NodeCrypto from "node:crypto";

let loaded: typeof NodeCrypto | undefined;

export function crypto(): typeof NodeCrypto {
  return (loaded ??= process.getBuiltinModule("node:crypto"));
}
