// node:path's functions, gathered from named imports. `import path from "node:path"` reads the
// same, but esbuild's CommonJS interop turns each default import of a built-in into a fresh copy of
// all its exports, one per importing module: 15 copies, a measurable share of what a run
// allocates before it does any work (ARCHITECTURE.md, "Where the time goes").
import { basename, dirname, extname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";

export const path = { basename, dirname, extname, isAbsolute, join, posix, relative, resolve, sep } as const;

/** A relative path in `/` form with nothing to normalize on any platform: no empty, `.` or `..`
 * segment, no backslash (a separator on Windows) and no colon (a drive or stream there). */
export function isNormalRelative(relative: string): boolean {
  if (relative === "" || relative.startsWith("/") || relative.includes("\\") || relative.includes(":")) return false;
  for (const segment of relative.split("/")) if (segment === "" || segment === "." || segment === "..") return false;
  return true;
}

/** path.join(root, relative) for a normalized `root` and a relative path that passes
 * isNormalRelative: the same string without normalizing it again, which path.join does character
 * by character on every call (a run joins a few hundred paths). */
export function inside(root: string, relative: string, separator: string = sep): string {
  const tail = separator === "/" ? relative : relative.split("/").join(separator);
  return root.endsWith(separator) ? `${root}${tail}` : `${root}${separator}${tail}`;
}
