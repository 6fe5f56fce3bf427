// Writing into the user's cache folder (src/cli/code-cache.ts): files only their owner can read,
// replaced atomically, the folder kept to a bounded size. Failures are the caller's to ignore.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { path } from "./path.js";

/** A temporary file this old was left by a killed run. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** Writes `file` in `dir` (created 0700) as 0600 through a temporary name, then keeps the newest
 * `keep` files ending in `extension` and removes temporary files killed runs left behind. */
export function writeCacheFile(dir: string, file: string, data: string | Uint8Array, extension: string, keep: number): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: 0o600 });
  renameSync(temp, file);
  const now = Date.now();
  const entries: { name: string; mtime: number }[] = [];
  for (const name of readdirSync(dir)) {
    const mtime = statSync(path.join(dir, name)).mtimeMs;
    if (name.endsWith(".tmp") && now - mtime > STALE_TEMP_MS) rmSync(path.join(dir, name), { force: true });
    else if (name.endsWith(extension)) entries.push({ name, mtime });
  }
  entries.sort((a, b) => b.mtime - a.mtime);
  for (const { name } of entries.slice(keep)) rmSync(path.join(dir, name), { force: true });
}
