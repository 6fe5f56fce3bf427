// The file operations the writer needs, behind one small interface so tests can inject failures
// (a full disk, a permission error after some files were written) and crashes.
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { path } from "../util/path.js";

/** What a path is, without following a symbolic link at its end (lstat). */
interface PathEntry {
  kind: "file" | "folder" | "link" | "other";
  /** Permission bits (of the link itself for a link). */
  mode: number;
  /** Where a link points, as written in it. */
  target?: string;
}

export interface WriterFs {
  /** Whether the platform has POSIX permission bits (not Windows). */
  readonly modes: boolean;
  /** What `file` is, or null when nothing is there. A link is reported, never followed. */
  entry(file: string): Promise<PathEntry | null>;
  /** The file's text, or null when it does not exist. */
  readText(file: string): Promise<string | null>;
  /** Permission bits, or null when the file does not exist. */
  mode(file: string): Promise<number | null>;
  /** Text and permission bits together (one stat), or null when the file does not exist. */
  readFile(file: string): Promise<{ text: string; mode: number } | null>;
  /** Creates `file` (failing if it exists) with `mode` and writes `text`, not yet flushed (flush). */
  writeNew(file: string, text: string, mode: number): Promise<void>;
  /** Flushes the files' contents to disk (fsync). One call for a whole set of staged files, so an
   * implementation may flush them together. (In libuv's thread pool, side by side, they were not
   * faster here than one after another.) */
  flush(files: readonly string[]): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** A second name for the same file (a zero-copy backup); fails if `to` exists. */
  link(from: string, to: string): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** Creates `dir` and any missing parents, each with `mode` whatever the umask. */
  mkdirp(dir: string, mode: number): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
  rmdir(dir: string): Promise<void>;
  /** Entry names, or [] when the folder does not exist. */
  list(dir: string): Promise<string[]>;
  /** Flushes a folder's entries (created, renamed, removed names) to disk. */
  syncDir(dir: string): Promise<void>;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

// Synchronous calls behind the asynchronous interface: a run makes ~100 small file operations,
// and each trip through libuv's thread pool costs more than the operation itself (~4 ms a run).
// The interface stays asynchronous so tests can inject delays and failures.
export const nodeFs: WriterFs = {
  modes: process.platform !== "win32",
  async entry(file) {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    if (!stats) return null;
    const mode = stats.mode & 0o777;
    if (stats.isSymbolicLink()) return { kind: "link", mode, target: readlinkSync(file) };
    return { kind: stats.isDirectory() ? "folder" : stats.isFile() ? "file" : "other", mode };
  },
  async readText(file) {
    return (await nodeFs.readFile(file))?.text ?? null;
  },
  async mode(file) {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats ? stats.mode & 0o777 : null;
  },
  async readFile(file) {
    // A missing file is common (a first run, a removed output): asking stat first avoids the
    // cost of an ENOENT exception, which Node builds with a message and a stack.
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats) return null;
    try {
      return { text: readFileSync(file, "utf8"), mode: stats.mode & 0o777 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  },
  async writeNew(file, text, mode) {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      writeFileSync(fd, text, "utf8");
      // The umask may have narrowed the mode given to open().
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
  },
  async flush(files) {
    for (const file of files) {
      // POSIX flushes through any descriptor; Windows only through a writable one.
      const fd = openSync(file, process.platform === "win32" ? "r+" : "r");
      try {
        // fsync, not fdatasync: the mode set after open() must survive a power loss too.
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  },
  rename: async (from, to) => renameSync(from, to),
  link: async (from, to) => linkSync(from, to),
  copy: async (from, to) => copyFileSync(from, to, constants.COPYFILE_EXCL),
  unlink: async (file) => unlinkSync(file),
  mkdirp: async (dir, mode) => {
    // mkdir's mode is narrowed by the umask (secrets/ must not be 0777 under umask 000, nor a
    // public folder 0700 under umask 077): each folder made here gets its mode set afterwards.
    // The mode given to mkdir is never wider than the one wanted, so no folder is ever wider.
    const first = mkdirSync(dir, { recursive: true, mode });
    if (first === undefined) return;
    for (let folder = dir; folder.length >= first.length; folder = path.dirname(folder)) {
      chmodSync(folder, mode);
      if (folder === first) break;
    }
  },
  chmod: async (file, mode) => chmodSync(file, mode),
  rmdir: async (dir) => rmdirSync(dir),
  async list(dir) {
    try {
      return readdirSync(dir).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  },
  async syncDir(dir) {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } catch (error) {
      // Some filesystems cannot fsync a folder; the rename is still atomic there.
      if (!["EINVAL", "EISDIR", "EPERM", "EBADF"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    } finally {
      closeSync(fd);
    }
  },
};

const MUTATING = ["writeNew", "flush", "rename", "link", "copy", "unlink", "mkdirp", "chmod", "rmdir"] as const;

/** Pauses before every change to the disk: lets a crash test (`kill -9`) land in the middle of a
 * run. Enabled by LLM_DEBUG_WRITE_DELAY_MS; never set in normal use. */
function slowFs(inner: WriterFs, delayMs: number): WriterFs {
  const out: WriterFs = { ...inner };
  for (const name of MUTATING) {
    const original = inner[name] as (...args: unknown[]) => Promise<void>;
    (out as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return original(...args);
    };
  }
  return out;
}

/** The filesystem a command uses: the real one, slowed down only when a test asks for it. */
export function fsFromEnv(env: Record<string, string | undefined>): WriterFs {
  const delay = Number(env["LLM_DEBUG_WRITE_DELAY_MS"] ?? 0);
  return Number.isFinite(delay) && delay > 0 ? slowFs(nodeFs, delay) : nodeFs;
}
