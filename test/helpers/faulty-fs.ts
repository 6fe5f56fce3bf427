// Filesystems that fail on purpose, for the writer's fault tests.
import { nodeFs, type WriterFs } from "../../src/io/fs.js";

const MUTATING = ["writeNew", "flush", "rename", "link", "copy", "unlink", "mkdirp", "chmod", "rmdir"] as const;
type Mutating = (typeof MUTATING)[number];

export interface CountingFs extends WriterFs {
  /** Mutating calls so far, as "op path" lines. */
  calls: string[];
}

function ioError(code: string, op: string): NodeJS.ErrnoException {
  const error = new Error(`${code}: injected failure, ${op}`) as NodeJS.ErrnoException;
  error.code = code;
  return error;
}

/** Wraps the real filesystem; `fault(index, op)` may throw before the index-th mutating call runs. */
function wrap(fault: (index: number, op: Mutating, args: unknown[]) => void): CountingFs {
  const calls: string[] = [];
  const out = { ...nodeFs, calls } as CountingFs;
  for (const name of MUTATING) {
    const original = nodeFs[name] as (...args: unknown[]) => Promise<void>;
    (out as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      calls.push(`${name} ${String(args[0])}`);
      fault(calls.length, name, args);
      return original(...args);
    };
  }
  return out;
}

/** Records every mutating call and fails none. */
export const countingFs = (): CountingFs => wrap(() => undefined);

/** The `failAt`-th mutating call fails with `code` (ENOSPC: disk full); every other call works. */
export function failingFs(failAt: number, code = "ENOSPC"): CountingFs {
  return wrap((index, op) => {
    if (index === failAt) throw ioError(code, op);
  });
}

/** From the `dieAt`-th mutating call on, nothing reaches the disk any more: the process is as good
 * as killed there (its rollback cannot run either). */
export function dyingFs(dieAt: number): CountingFs {
  return wrap((index, op) => {
    if (index >= dieAt) throw ioError("EIO", op);
  });
}
