// The part of sha256-wasm's API (a CommonJS module without type declarations) this package uses.
declare module "sha256-wasm" {
  interface Hash {
    update(input: Uint8Array): Hash;
    /** Without an encoding: a view of the module's memory, valid until the next hash. */
    digest(): Uint8Array;
    digest(encoding: "hex"): string;
  }
  interface Sha256 {
    (): Hash;
    readonly WASM_SUPPORTED: boolean;
    /** The instantiated module; undefined where WebAssembly is unavailable. */
    readonly WASM: unknown;
  }
  const Sha256: Sha256;
  export default Sha256;
}
