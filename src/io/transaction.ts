// All-or-nothing writes of a set of files, with a journal so a crash at any moment is finished
// (rolled forward) or undone (rolled back) by the next run. See ARCHITECTURE.md, "Writing files".
//
//   stage    every new file is written complete (and flushed) into the tx folder; every file to be
//            replaced or removed gets a backup there (a hard link: no copy, same bytes and mtime).
//   journal  journal.json names each target with its staged file and backup. Writing it (to a
//            temporary name, then renamed) is the commit point: before it, the targets were never
//            touched; after it, every staged file and backup exists, so the run can be finished.
//   apply    staged files are renamed over their targets, removed files are unlinked.
//   finish   the journal is removed, then the backups.
//
// A failure while applying rolls back in the same run (backups renamed back, created files
// removed). A crash leaves the journal: `recover` rolls it forward, or back if forward fails.
import { inside, isNormalRelative, path } from "../util/path.js";
import type { WriterFs } from "./fs.js";
import { TX_DIR, folderModeFor } from "../layout.js";
import { LOCK_NAME } from "./lock.js";

interface FileWrite {
  /** Relative to the root, `/` separators. */
  path: string;
  text: string;
  mode: number;
}

export interface Transaction {
  writes: FileWrite[];
  deletes: string[];
}

interface JournalEntry {
  path: string;
  /** Staged file (in the tx folder) that replaces the target; absent for a removal. */
  staged?: string;
  /** Backup of the previous target (in the tx folder); absent when there was none. */
  backup?: string;
}

interface Journal {
  version: 1;
  phase: "apply" | "rollback";
  entries: JournalEntry[];
}

export const JOURNAL = "journal.json";

export type RecoveryOutcome = "none" | "rolled-forward" | "rolled-back";

/** A write that failed; `rolledBack` false means the journal stays for the next run to finish. */
export class TransactionError extends Error {
  constructor(
    error: unknown,
    readonly rolledBack: boolean,
  ) {
    super((error as Error)?.message ?? String(error), { cause: error });
    this.name = "TransactionError";
  }
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

function target(root: string, relative: string): string {
  if (isNormalRelative(relative)) return inside(root, relative);
  const normalized = path.posix.normalize(relative);
  if (path.posix.isAbsolute(normalized) || normalized === ".." || normalized.startsWith("../")) {
    throw new Error(`refusing to write outside the output folder: ${relative}`);
  }
  return path.join(root, ...normalized.split("/"));
}

async function exists(fs: WriterFs, file: string): Promise<boolean> {
  return (await fs.mode(file)) !== null;
}

async function unlinkIfPresent(fs: WriterFs, file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (error) {
    if (code(error) !== "ENOENT") throw error;
  }
}

/** Removes a target and the folders it leaves empty. */
async function removeTarget(fs: WriterFs, root: string, relative: string): Promise<void> {
  await unlinkIfPresent(fs, target(root, relative));
  await removeEmptyParents(fs, root, relative);
}

/** Renames `from` over the target `relative` to `root`, creating its folder if a removal took it
 * (asked only then: the folder is there on almost every run), with the mode the layout gives it. */
async function moveInto(fs: WriterFs, from: string, root: string, relative: string): Promise<void> {
  const to = target(root, relative);
  try {
    await fs.rename(from, to);
  } catch (error) {
    if (code(error) !== "ENOENT") throw error;
    await fs.mkdirp(path.dirname(to), folderModeFor(relative));
    await fs.rename(from, to);
  }
}

async function removeEmptyParents(fs: WriterFs, root: string, relative: string): Promise<void> {
  for (let dir = path.posix.dirname(relative); dir !== "." && dir !== "/"; dir = path.posix.dirname(dir)) {
    try {
      await fs.rmdir(target(root, dir));
    } catch {
      return;
    }
  }
}

async function writeJournal(fs: WriterFs, txDir: string, journal: Journal): Promise<void> {
  const temp = inside(txDir, `${JOURNAL}.tmp`);
  if (await exists(fs, temp)) await fs.unlink(temp);
  await fs.writeNew(temp, `${JSON.stringify(journal, null, 2)}\n`, 0o600);
  await fs.flush([temp]);
  await fs.rename(temp, inside(txDir, JOURNAL));
  await fs.syncDir(txDir);
}

/** Removes what a finished or abandoned run left in the tx folder (never the lock). */
async function clean(fs: WriterFs, txDir: string): Promise<void> {
  for (const name of await fs.list(txDir)) {
    if (name !== LOCK_NAME) await unlinkIfPresent(fs, inside(txDir, name));
  }
}

/** Removing the journal ends the run; leftovers after that are only litter, cleaned next time. */
async function finish(fs: WriterFs, txDir: string): Promise<void> {
  await fs.unlink(inside(txDir, JOURNAL));
  try {
    await fs.syncDir(txDir);
    await clean(fs, txDir);
  } catch {
    // The next run's recover() removes what is left.
  }
}

/** Makes the renames durable; a folder a removal took has nothing left to flush. */
async function syncTargetDirs(fs: WriterFs, root: string, entries: readonly JournalEntry[]): Promise<void> {
  for (const dir of new Set(entries.map((entry) => path.dirname(target(root, entry.path))))) await fs.syncDir(dir).catch(() => undefined);
}

/** `resuming`: finishing an interrupted run, whose staged files may be renamed already. */
async function rollForward(fs: WriterFs, root: string, txDir: string, entries: readonly JournalEntry[], resuming: boolean): Promise<void> {
  for (const entry of entries) {
    if (entry.staged) {
      const staged = inside(txDir, entry.staged);
      // Already renamed by an earlier, interrupted attempt.
      if (resuming && !(await exists(fs, staged))) continue;
      await moveInto(fs, staged, root, entry.path);
    } else {
      await removeTarget(fs, root, entry.path);
    }
  }
  await syncTargetDirs(fs, root, entries);
}

/** Whether an entry reached its target: a staged file is gone once renamed, a removed file once unlinked. */
async function applied(fs: WriterFs, txDir: string, file: string, entry: JournalEntry): Promise<boolean> {
  return entry.staged ? !(await exists(fs, inside(txDir, entry.staged))) : !(await exists(fs, file));
}

async function rollBack(fs: WriterFs, root: string, txDir: string, entries: readonly JournalEntry[]): Promise<void> {
  for (const entry of [...entries].reverse()) {
    const file = target(root, entry.path);
    // Entries never applied are left alone: their targets still hold the old files.
    if (!(await applied(fs, txDir, file, entry))) continue;
    if (entry.backup) {
      const backupFile = inside(txDir, entry.backup);
      // A backup already gone was put back by an earlier, interrupted rollback.
      if (!(await exists(fs, backupFile))) continue;
      await moveInto(fs, backupFile, root, entry.path);
    } else {
      // A file this run created.
      await removeTarget(fs, root, entry.path);
    }
  }
  await syncTargetDirs(fs, root, entries);
}

async function backup(fs: WriterFs, file: string, to: string): Promise<boolean> {
  // Nothing to back up for a file this run creates (asked first: a failed link costs an exception).
  if ((await fs.mode(file)) === null) return false;
  try {
    await fs.link(file, to);
    return true;
  } catch (error) {
    if (code(error) === "ENOENT") return false;
    // No hard links here (some network or FUSE filesystems): a copy keeps the bytes.
    try {
      await fs.copy(file, to);
      return true;
    } catch (copyError) {
      if (code(copyError) === "ENOENT") return false;
      throw copyError;
    }
  }
}

/** Applies `tx` under `root` all-or-nothing. The caller holds the lock on `txDir`. Throws a
 * TransactionError when a file could not be written; the folder is then as it was before. */
export async function commit(root: string, txDir: string, tx: Transaction, fs: WriterFs): Promise<void> {
  const entries: JournalEntry[] = [];
  let journaled = false;
  try {
    await fs.mkdirp(txDir, folderModeFor(TX_DIR));
    await clean(fs, txDir);
    let index = 0;
    for (const write of tx.writes) {
      const entry: JournalEntry = { path: write.path, staged: `${index}.new` };
      await fs.writeNew(inside(txDir, entry.staged!), write.text, write.mode);
      if (await backup(fs, target(root, write.path), inside(txDir, `${index}.old`))) entry.backup = `${index}.old`;
      entries.push(entry);
      index++;
    }
    for (const removed of tx.deletes) {
      if (await backup(fs, target(root, removed), inside(txDir, `${index}.old`))) entries.push({ path: removed, backup: `${index}.old` });
      index++;
    }
    // Every staged file is complete on disk before the journal names it.
    await fs.flush(entries.flatMap((entry) => (entry.staged ? [inside(txDir, entry.staged)] : [])));
    await fs.syncDir(txDir);
    await writeJournal(fs, txDir, { version: 1, phase: "apply", entries });
    journaled = true;
    await rollForward(fs, root, txDir, entries, false);
    await finish(fs, txDir);
  } catch (error) {
    if (!journaled) {
      // No target was touched; staged files left behind are removed by the next run.
      await clean(fs, txDir).catch(() => undefined);
      throw new TransactionError(error, true);
    }
    try {
      await writeJournal(fs, txDir, { version: 1, phase: "rollback", entries });
      await rollBack(fs, root, txDir, entries);
      await finish(fs, txDir);
    } catch {
      throw new TransactionError(error, false);
    }
    throw new TransactionError(error, true);
  }
}

/** Whether an interrupted run left a journal to finish. */
export async function hasJournal(txDir: string, fs: WriterFs): Promise<boolean> {
  return exists(fs, inside(txDir, JOURNAL));
}

/** The journal cannot be read as one this code wrote (it is written whole, then renamed into
 * place, so only something else can have damaged it): which files the run replaced is unknown. */
export class JournalDamaged extends Error {
  constructor(readonly why: string) {
    super(`${JOURNAL} is damaged: ${why}`);
    this.name = "JournalDamaged";
  }
}

/** The journal as this code writes it, or why it is not. Only names this code writes: a planted
 * journal must not move files in or out of the folder (targets are checked by target()). */
function parseJournal(text: string): Journal {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new JournalDamaged(`not JSON (${(error as Error).message})`);
  }
  const journal = data as Partial<Journal> | null;
  const ownName = (name: unknown) => name === undefined || (typeof name === "string" && /^\d+\.(new|old)$/.test(name));
  if (journal === null || typeof journal !== "object" || journal.version !== 1 || (journal.phase !== "apply" && journal.phase !== "rollback"))
    throw new JournalDamaged('expected {"version": 1, "phase": "apply" or "rollback", "entries": [...]}');
  if (
    !Array.isArray(journal.entries) ||
    !journal.entries.every(
      (entry: unknown) =>
        entry !== null &&
        typeof entry === "object" &&
        typeof (entry as JournalEntry).path === "string" &&
        ownName((entry as JournalEntry).staged) &&
        ownName((entry as JournalEntry).backup),
    )
  ) {
    throw new JournalDamaged("it names files this tool does not write");
  }
  return journal as Journal;
}

/** Finishes an interrupted run: forward when it got past its commit point, else back. Leftover
 * staged files of a run that never reached its commit point are removed. The caller holds the lock. */
export async function recover(root: string, txDir: string, fs: WriterFs): Promise<RecoveryOutcome> {
  const text = await fs.readText(inside(txDir, JOURNAL));
  if (text === null) {
    await clean(fs, txDir);
    return "none";
  }
  const journal = parseJournal(text);
  if (journal.phase === "apply") {
    try {
      await rollForward(fs, root, txDir, journal.entries, true);
      await finish(fs, txDir);
      return "rolled-forward";
    } catch {
      await writeJournal(fs, txDir, { ...journal, phase: "rollback" });
    }
  }
  await rollBack(fs, root, txDir, journal.entries);
  await finish(fs, txDir);
  return "rolled-back";
}
