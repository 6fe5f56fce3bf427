// Files only their owner may read (a backup's copies of the secrets, its dumps and records):
// folders 0700 and files 0600 whatever the umask, each new file created, never replaced.
// Synchronous calls, as in ./files.ts: cheaper for a short-lived CLI.
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { path } from "../util/path.js";

export const isLink = (file: string): boolean => lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() === true;

/** Creates `dir` (and its parents) 0700; `exclusive`: fails with EEXIST when it is there. */
export function makePrivateFolder(dir: string, exclusive = false): void {
  mkdirSync(dir, { recursive: !exclusive, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** The file's bytes and permission bits. */
export function readWithMode(file: string): { bytes: Buffer; mode: number } {
  const bytes = readFileSync(file);
  return { bytes, mode: statSync(file).mode & 0o777 };
}

export const readPrivateText = (file: string): string => readFileSync(file, "utf8");

/** A new 0600 file (its folders 0700), flushed; `replace`: an earlier one is overwritten. */
export function writePrivate(file: string, contents: string | Uint8Array, replace = false): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, contents, { mode: 0o600, flag: replace ? "w" : "wx", flush: true });
}

/** Flushes a file's bytes, or a folder's entries, to disk. */
export function syncToDisk(file: string): void {
  const fd = openSync(file, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
