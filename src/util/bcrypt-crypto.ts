// What bcryptjs gets for `import nodeCrypto from "crypto"` in the bundles (scripts/build.mjs
// points it here). It uses only randomBytes, and only to draw a salt, which this tool draws itself
// (src/secrets/private-files.ts); importing node:crypto for real would load it, and Node's stream
// modules with it, on every run that checks an htpasswd file (src/util/lazy-crypto.ts says why
// that costs).
import { crypto } from "./lazy-crypto.js";

export default { randomBytes: (length: number) => crypto().randomBytes(length) };
