// The file operations the writer needs, behind one small interface so tests can inject failures
// (a full disk, a permission error after some files were written) and crashes.
import { constants } from "node:fs";
import { copyFile, link, mkdir, open, readFile, readdir, rename, rmdir, stat, unlink } from "node:fs/promises";

export interface WriterFs {
  /** The file's text, or null when it does not exist. */
  readText(file: string): Promise<string | null>;
  /** Permission bits, or null when the file does not exist. */
  mode(file: string): Promise<number | null>;
  /** Creates `file` (failing if it exists) with `mode`, writes `text` and flushes it to disk. */
  writeNew(file: string, text: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** A second name for the same file (a zero-copy backup); fails if `to` exists. */
  link(from: string, to: string): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdirp(dir: string): Promise<void>;
  rmdir(dir: string): Promise<void>;
  /** Entry names, or [] when the folder does not exist. */
  list(dir: string): Promise<string[]>;
  /** Flushes a folder's entries (created, renamed, removed names) to disk. */
  syncDir(dir: string): Promise<void>;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

export const nodeFs: WriterFs = {
  async readText(file) {
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  },
  async mode(file) {
    try {
      return (await stat(file)).mode & 0o777;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  },
  async writeNew(file, text, mode) {
    const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      await handle.writeFile(text, "utf8");
      // The umask may have narrowed the mode given to open().
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
  link: (from, to) => link(from, to),
  copy: (from, to) => copyFile(from, to, constants.COPYFILE_EXCL),
  unlink: (file) => unlink(file),
  mkdirp: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  rmdir: (dir) => rmdir(dir),
  async list(dir) {
    try {
      return (await readdir(dir)).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  },
  async syncDir(dir) {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } catch (error) {
      // Some filesystems cannot fsync a folder; the rename is still atomic there.
      if (!["EINVAL", "EISDIR", "EPERM", "EBADF"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    } finally {
      await handle.close();
    }
  },
};

const MUTATING = ["writeNew", "rename", "link", "copy", "unlink", "mkdirp", "rmdir"] as const;

/** Pauses before every change to the disk: lets a crash test (`kill -9`) land in the middle of a
 * run. Enabled by LLM_DEBUG_WRITE_DELAY_MS; never set in normal use. */
export function slowFs(inner: WriterFs, delayMs: number): WriterFs {
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
