// One writer per output folder: a lock file created atomically (a complete file is hard-linked
// into place, so nobody ever reads a half-written lock) and taken over only when the process that
// holds it is gone.
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { LlmError, type Result, fail, ok } from "../errors.js";
import type { WriterFs } from "./fs.js";

export const LOCK_NAME = "lock";

export interface LockOwner {
  pid: number;
  host: string;
}

export interface Lock {
  release(): Promise<void>;
}

export interface LockOptions {
  owner?: LockOwner;
  /** Whether a process on this host is still running (tests replace it). */
  isAlive?: (pid: number) => boolean;
  /** How the lock path is shown in messages, e.g. ".llm/tx/lock". */
  shownAs?: string;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseOwner(text: string | null): LockOwner | null {
  try {
    const data = JSON.parse(text ?? "") as Partial<LockOwner>;
    return typeof data.pid === "number" && typeof data.host === "string" ? { pid: data.pid, host: data.host } : null;
  } catch {
    return null;
  }
}

async function createExclusive(fs: WriterFs, file: string, text: string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await fs.writeNew(temp, text, 0o644);
  try {
    await fs.link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw error;
    // Filesystems without hard links: an exclusive create is atomic too, only briefly empty.
    await fs.writeNew(file, text, 0o644);
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}

/** Takes the lock `dir/lock`, creating `dir` (removed again on release when empty). Fails with LOCKED while another live process holds it. */
export async function acquireLock(dir: string, fs: WriterFs, options: LockOptions = {}): Promise<Result<Lock>> {
  const owner = options.owner ?? { pid: process.pid, host: os.hostname() };
  const isAlive = options.isAlive ?? processIsAlive;
  const file = path.join(dir, LOCK_NAME);
  const shown = options.shownAs ?? file;
  for (let attempt = 0; attempt < 5; attempt++) {
    await fs.mkdirp(dir);
    try {
      await createExclusive(fs, file, `${JSON.stringify(owner)}\n`);
      return ok({ release: () => releaseLock(fs, dir) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue; // the folder was removed by a run that just finished
      if (code !== "EEXIST") throw error;
    }
    const holder = parseOwner(await fs.readText(file));
    const stale = holder === null || (holder.host === owner.host && !isAlive(holder.pid));
    if (!stale) {
      const where = holder.host === owner.host ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
      return fail(
        new LlmError("LOCKED", `another llm run (${where}) is writing in this folder`, {
          hint: `wait for it to finish and run the command again; if no such process is running, delete ${shown}`,
        }),
      );
    }
    await fs.unlink(file).catch(() => undefined);
  }
  return fail(new LlmError("LOCKED", `could not take the lock ${shown}: other runs keep taking it`, { hint: "run the command again" }));
}

async function releaseLock(fs: WriterFs, dir: string): Promise<void> {
  await fs.unlink(path.join(dir, LOCK_NAME)).catch(() => undefined);
  // Leave no trace of the run: the folder goes when it is empty.
  await fs.rmdir(dir).catch(() => undefined);
}
