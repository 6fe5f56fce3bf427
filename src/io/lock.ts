// One writer per output folder: a lock file created exclusively (O_EXCL: of two runs, exactly one
// creates it) and taken over only when the process that holds it is gone.
import { inside } from "../util/path.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import type { WriterFs } from "./fs.js";

export const LOCK_NAME = "lock";

interface LockOwner {
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

function processIsAlive(pid: number): boolean {
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

/** Takes the lock `dir/lock`, creating `dir` (removed again on release when empty). Fails with LOCKED while another live process holds it. */
export async function acquireLock(dir: string, fs: WriterFs, options: LockOptions = {}): Promise<Result<Lock>> {
  // node:os loads here, not with the module: only a run that writes takes the lock.
  const owner = options.owner ?? { pid: process.pid, host: process.getBuiltinModule("node:os").hostname() };
  const isAlive = options.isAlive ?? processIsAlive;
  const file = inside(dir, LOCK_NAME);
  const shown = options.shownAs ?? file;
  for (let attempt = 0; attempt < 5; attempt++) {
    // Only its owner enters the lock's folder (the run's staged files include secrets).
    await fs.mkdirp(dir, 0o700);
    try {
      // Not flushed: a lock left empty or garbled by a power loss reads as no owner and is taken over.
      await fs.writeNew(file, `${JSON.stringify(owner)}\n`, 0o644);
      return ok({ release: () => releaseLock(fs, dir) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue; // the folder was removed by a run that just finished
      if (code !== "EEXIST") throw error;
    }
    const text = await fs.readText(file);
    if (text === null) continue; // released meanwhile
    let holder = parseOwner(text);
    if (holder === null) {
      // Created but not written yet, or its writer died in between: look again before judging.
      await new Promise((resolve) => setTimeout(resolve, 100));
      holder = parseOwner(await fs.readText(file));
    }
    if (holder !== null && (holder.host !== owner.host || isAlive(holder.pid))) {
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
  await fs.unlink(inside(dir, LOCK_NAME)).catch(() => undefined);
  // Leave no trace of the run: the folder goes when it is empty.
  await fs.rmdir(dir).catch(() => undefined);
}
