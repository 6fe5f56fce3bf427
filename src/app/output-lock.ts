// Running something that writes in an output folder: take the folder's lock, finish whatever an
// interrupted run left (see io/transaction.ts), run, release. The folder's state directory
// disappears again when nothing in it is left (a run that wrote nothing leaves no trace).
import { inside, path } from "../util/path.js";
import { LlmError, type Result, fail } from "../errors.js";
import type { WriterFs } from "../io/fs.js";
import { acquireLock, type LockOptions } from "../io/lock.js";
import { refuseLinkedFolders } from "../io/owned-folders.js";
import { JOURNAL, JournalDamaged, TransactionError, recover, type RecoveryOutcome } from "../io/transaction.js";
import { STATE_DIR, TX_DIR } from "../layout.js";

export interface LockedContext {
  txDir: string;
  recovered: RecoveryOutcome;
}

export function txDirOf(outDir: string): string {
  return inside(outDir, TX_DIR);
}

/** Node's message for a failed call ("EACCES: permission denied, rename 'a' -> 'b'") with paths
 * shown relative to the output folder. */
export function errnoDetail(error: NodeJS.ErrnoException, outDir: string): string {
  const message = String(error.message).split(`${outDir}${path.sep}`).join("");
  return error.code && !message.startsWith(error.code) ? `${error.code}: ${message}` : message;
}

export function writeFailed(error: unknown, outDir: string): LlmError {
  const cause = error instanceof TransactionError ? (error.cause as NodeJS.ErrnoException) : (error as NodeJS.ErrnoException);
  const detail = errnoDetail(cause, outDir);
  if (error instanceof TransactionError && !error.rolledBack) {
    return new LlmError("WRITE_INTERRUPTED", `writing the generated files failed and could not be undone: ${detail}`, {
      hint: `fix the cause, then run \`llm generate\` (or \`llm diff\`): it finishes or undoes the interrupted write recorded in ${TX_DIR}/`,
      cause: error,
    });
  }
  return new LlmError("WRITE_FAILED", `could not write the generated files: ${detail}; nothing was changed`, {
    hint: "check the folder's permissions and free space",
    cause: error,
  });
}

/** A damaged journal cannot be finished or undone, and running again would meet it again: the
 * way out is to drop the interrupted run, which leaves each file whole (as before or as
 * generated), and let the next run compare. */
function journalDamaged(error: JournalDamaged): LlmError {
  return new LlmError(
    "JOURNAL_INVALID",
    `${TX_DIR}/${JOURNAL} of an interrupted run is damaged (${error.why}): llm cannot tell which files that run replaced, so it neither finishes nor undoes it`,
    {
      hint: `each file is whole, either as it was or as generated. Drop the interrupted run with \`rm -r ${TX_DIR}\` (the previous versions of replaced files are in ${TX_DIR}/*.old, if you want them first), then \`llm diff\` shows what differs and \`llm generate\` finishes the job (\`--force\` if it names files as changed outside llm)`,
      cause: error,
    },
  );
}

export async function withOutputLock<T>(
  outDir: string,
  fs: WriterFs,
  lockOptions: LockOptions,
  body: (context: LockedContext) => Promise<Result<T>>,
): Promise<Result<T>> {
  const txDir = txDirOf(outDir);
  // Taking the lock creates .llm/tx and recovering empties it: neither may go through a link.
  const linked = await refuseLinkedFolders(fs, outDir, [STATE_DIR, TX_DIR]);
  if (linked) return fail(linked);
  let lock;
  try {
    lock = await acquireLock(txDir, fs, { shownAs: `${TX_DIR}/lock`, ...lockOptions });
  } catch (error) {
    return fail(writeFailed(error, outDir));
  }
  if (!lock.ok) return lock;
  try {
    let recovered: RecoveryOutcome;
    try {
      recovered = await recover(outDir, txDir, fs);
    } catch (error) {
      if (error instanceof JournalDamaged) return fail(journalDamaged(error));
      return fail(writeFailed(new TransactionError(error, false), outDir));
    }
    return await body({ txDir, recovered });
  } finally {
    await lock.value.release();
    // Asked first: the folder usually holds the manifest, and a failed rmdir costs an exception.
    const stateDir = inside(outDir, STATE_DIR);
    const left = await fs.list(stateDir).catch(() => null);
    if (left?.length === 0) await fs.rmdir(stateDir).catch(() => undefined);
  }
}

/** For commands that only read: finish an interrupted run first, so they never see half of one
 * (and clear what a run that died before its commit point left behind). */
export async function recoverIfInterrupted(outDir: string, fs: WriterFs, lockOptions: LockOptions = {}): Promise<Result<RecoveryOutcome>> {
  if ((await fs.mode(txDirOf(outDir))) === null) return { ok: true, value: "none" };
  return withOutputLock(outDir, fs, lockOptions, async ({ recovered }) => ({ ok: true, value: recovered }));
}
