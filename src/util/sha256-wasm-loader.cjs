// Loads sha256-wasm on first use, in CommonJS so that the bundler keeps the require lazy and the
// tests load the same package. The package instantiates its WebAssembly at load, and that can
// fail where WebAssembly is missing (node --jitless) or where the address space is limited
// (`ulimit -v`: V8 reserves gigabytes of it for any WebAssembly memory). Then null, and the
// caller uses node:crypto instead.
"use strict";

let loaded;

exports.loadSha256Wasm = function loadSha256Wasm() {
  if (loaded === undefined) {
    try {
      const Sha256 = require("sha256-wasm");
      loaded = Sha256.WASM_SUPPORTED && Sha256.WASM ? Sha256 : null;
    } catch {
      loaded = null;
    }
  }
  return loaded;
};
