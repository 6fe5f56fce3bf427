// node:path's functions, gathered from named imports. `import path from "node:path"` reads the
// same, but esbuild's CommonJS interop turns each default import of a built-in into a fresh copy of
// all its exports, one per importing module: 15 copies, a measurable share of what a run
// allocates before it does any work (ARCHITECTURE.md, "Where the time goes").
import { basename, dirname, extname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";

export const path = { basename, dirname, extname, isAbsolute, join, posix, relative, resolve, sep } as const;
