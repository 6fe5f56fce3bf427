// node:path's functions, gathered from named imports. `import path from "node:path"` reads the
// same, but esbuild's CommonJS interop turns each default import of a built-in into a fresh copy of
// all its exports, one per importing module: 15 copies, a measurable share of what a run
// allocates before it does any work (ARCHITECTURE.md, "Where the time goes").
import { basename, dirname, extname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";

export const path = { basename, dirname, extname, isAbsolute, join, posix, relative, resolve, sep } as const;

/** A relative path in `/` form with nothing to normalize: no empty, `.` or `..` segment. */
export function isNormalRelative(relative: string): boolean {
  if (relative === "" || relative.startsWith("/")) return false;
  for (const segment of relative.split("/")) if (segment === "" || segment === "." || segment === "..") return false;
  return true;
}

/** path.join(root, relative) for a normalized `root` and a relative path that passes
 * isNormalRelative: the same string without normalizing it again, which path.join does character
 * by character on every call (a run joins a few hundred paths). */
export function inside(root: string, relative: string): string {
  const tail = sep === "/" ? relative : relative.split("/").join(sep);
  return root.endsWith(sep) ? `${root}${tail}` : `${root}${sep}${tail}`;
}
