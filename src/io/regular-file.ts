// Reads a file that must be an ordinary file of bounded size: a FIFO would block forever, a
// device such as /dev/zero never ends, a huge file exhausts memory before anything can be said.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";

export type RegularFileProblem =
  | { kind: "missing"; link: boolean }
  | { kind: "loop" }
  | { kind: "folder" }
  | { kind: "not-regular"; what: string }
  /** `exact`: the size the file reports; otherwise it kept growing past `bytes` while read. */
  | { kind: "too-large"; bytes: number; exact: boolean }
  | { kind: "unreadable"; error: NodeJS.ErrnoException };

export type RegularFileRead = { ok: true; text: string } | { ok: false; problem: RegularFileProblem };

function whatIs(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

const isLink = (file: string) => lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() === true;

/** The file's text, or why it cannot be a config. Opened without blocking (a FIFO with no writer
 * would otherwise wait forever) and judged by fstat of that very descriptor, so it cannot be
 * swapped between the check and the read. */
export function readRegularFile(file: string, maxBytes: number): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return { ok: false, problem: { kind: "missing", link: isLink(file) } };
    if (err.code === "ELOOP") return { ok: false, problem: { kind: "loop" } };
    if (err.code === "EISDIR") return { ok: false, problem: { kind: "folder" } };
    return { ok: false, problem: { kind: "unreadable", error: err } };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { ok: false, problem: { kind: "folder" } };
    if (!stats.isFile()) return { ok: false, problem: { kind: "not-regular", what: whatIs(stats) } };
    if (stats.size > maxBytes) return { ok: false, problem: { kind: "too-large", bytes: stats.size, exact: true } };
    // Read up to one byte past the limit: a file that grows, or reports size 0 (/proc), is still bounded.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stats.size + 1, 64 * 1024)));
    let length = 0;
    let chunk = buffer;
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length > maxBytes) return { ok: false, problem: { kind: "too-large", bytes: maxBytes, exact: false } };
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, chunk.length * 2));
        chunk.copy(grown, 0, 0, length);
        chunk = grown;
      }
      const read = readSync(fd, chunk, length, chunk.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return { ok: false, problem: { kind: "too-large", bytes: maxBytes, exact: false } };
    return { ok: true, text: chunk.toString("utf8", 0, length) };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === "EISDIR") return { ok: false, problem: { kind: "folder" } };
    return { ok: false, problem: { kind: "unreadable", error: err } };
  } finally {
    closeSync(fd);
  }
}
