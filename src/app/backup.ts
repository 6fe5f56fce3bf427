// `llm backup`: copy the stack's files, dump its databases and volumes through `docker compose`,
// record every file's SHA-256 in backup.json and, last, the COMPLETE marker. A run that fails or
// is stopped leaves the backup with INCOMPLETE (and no COMPLETE), so it never looks whole.
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { sha256OfFile } from "../io/files.js";
import {
  BACKUP_MANIFEST,
  COMPLETE_MARKER,
  FILES_DIR,
  INCOMPLETE_MARKER,
  backupName,
  completeText,
  manifestText,
  type BackupEntry,
} from "../backup/manifest.js";
import { planBackup, type BackupPlan, type DumpStep, type FileStep, type Skipped } from "../backup/plan.js";
import { BACKUPS_DIR } from "../layout.js";
import { inside, path } from "../util/path.js";
import { sha256Hex } from "../util/sha256.js";
import { checkRunning, composeProject, docker, dockerSaid, interrupted, type ComposeProject } from "./compose-project.js";
import { openStack, type StackRequest } from "./open-stack.js";
import { errnoDetail, withOutputLock } from "./output-lock.js";
import { fsFromEnv } from "../io/fs.js";
import { readManifest } from "./outdated.js";

export interface BackupRequest extends StackRequest {
  env: Record<string, string | undefined>;
  /** Milliseconds since the epoch: names the backup and dates its record. */
  now: () => number;
  withModels: boolean;
  signal?: AbortSignal;
}

export interface BackupReport {
  name: string;
  /** Relative to the output folder: "backups/2026-12-04T00-53-29Z". */
  folder: string;
  entries: BackupEntry[];
  skipped: Skipped[];
}

/** The backups folder, 0700 whatever the umask, never through a link. */
function backupsFolder(outDir: string): Result<string> {
  const dir = inside(outDir, BACKUPS_DIR);
  try {
    if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) {
      return fail(
        new LlmError("SYMLINK_REFUSED", `${BACKUPS_DIR}/ is a symbolic link; llm never writes a backup through a link`, {
          hint: `make it a real folder: rm ${BACKUPS_DIR} && mkdir -m 700 ${BACKUPS_DIR}`,
        }),
      );
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (error) {
    return fail(new LlmError("WRITE_FAILED", `could not create ${BACKUPS_DIR}/: ${errnoDetail(error as NodeJS.ErrnoException, outDir)}`));
  }
  return ok(dir);
}

/** A new folder named by the time; a second backup in the same second gets `-2`, `-3`... */
function newBackupFolder(root: string, epochMs: number): string {
  const base = backupName(epochMs);
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    try {
      mkdirSync(inside(root, name), { mode: 0o700 });
      chmodSync(inside(root, name), 0o700);
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

class StepFailed extends Error {
  constructor(readonly error: LlmError) {
    super(error.message);
  }
}

async function copyFile(project: ComposeProject, dir: string, step: FileStep): Promise<BackupEntry> {
  const from = inside(project.outDir, step.path);
  let bytes: Buffer;
  let mode: number;
  try {
    bytes = readFileSync(from);
    mode = statSync(from).mode & 0o777;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new StepFailed(
      new LlmError("BACKUP_FAILED", `could not copy ${step.path} (${step.what}): ${errnoDetail(error as NodeJS.ErrnoException, project.outDir)}`, {
        hint: missing ? "run `llm generate` first: it creates the secrets and the files derived from them" : `check the permissions of ${step.path}`,
      }),
    );
  }
  const file = `${FILES_DIR}/${step.path}`;
  mkdirSync(path.dirname(inside(dir, file)), { recursive: true, mode: 0o700 });
  writeFileSync(inside(dir, file), bytes, { mode: 0o600, flag: "wx", flush: true });
  const { sha256 } = await sha256OfFile(inside(dir, file));
  return { file, what: step.what, sha256, bytes: bytes.length, source: { path: step.path, mode } };
}

async function dump(project: ComposeProject, dir: string, step: DumpStep): Promise<BackupEntry> {
  const run = await docker(project, step.backup, { stdoutFile: inside(dir, step.file) });
  if (project.signal?.aborted) throw new StepFailed(interrupted(`during the dump of ${step.service}`));
  if (run === null) throw new StepFailed(new LlmError("DOCKER_UNAVAILABLE", "docker is no longer on PATH"));
  if (run.code !== 0) {
    throw new StepFailed(
      new LlmError("BACKUP_FAILED", `the dump of ${step.what} failed in ${step.service} (exit ${run.code ?? "by a signal"}): ${dockerSaid(project, run)}`, {
        hint: `look at \`docker compose logs ${step.service}\`, then run llm backup again`,
      }),
    );
  }
  syncFile(inside(dir, step.file));
  const { sha256, bytes } = await sha256OfFile(inside(dir, step.file));
  return { file: step.file, what: step.what, sha256, bytes, service: step.service };
}

/** The dump's bytes reach the disk before the record that vouches for them. */
function syncFile(file: string): void {
  const fd = openSync(file, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The folder's entries (the files' names) reach the disk too. */
const syncFolder = syncFile;

function writeRecord(dir: string, text: string, file: string): void {
  writeFileSync(inside(dir, file), text, { mode: 0o600, flush: true });
}

export async function runBackup(request: BackupRequest): Promise<Result<BackupReport>> {
  const opened = await openStack(request);
  if (!opened.ok) return opened;
  const project = await composeProject(opened.value, "backup", request.env, request.signal);
  if (!project.ok) return project;
  const { stack, outDir } = project.value;
  const configFile = path.relative(outDir, opened.value.loaded.absolutePath).split(path.sep).join("/");
  const manifest = await readManifest(outDir);
  if (!manifest.ok) return manifest;
  const deployed = manifest.value?.images;
  const plan: BackupPlan = planBackup(stack, { configFile, withModels: request.withModels, ...(deployed ? { deployed } : {}) });
  const root = backupsFolder(outDir);
  if (!root.ok) return root;
  const created = request.now();
  let name: string;
  try {
    name = newBackupFolder(root.value, created);
  } catch (error) {
    return fail(new LlmError("WRITE_FAILED", `could not create a folder in ${BACKUPS_DIR}/: ${errnoDetail(error as NodeJS.ErrnoException, outDir)}`));
  }
  const dir = inside(root.value, name);
  const folder = `${BACKUPS_DIR}/${name}`;
  const entries: BackupEntry[] = [];
  const record = () => manifestText({ name, created: new Date(created).toISOString(), stack: stack.name, images: plan.images, entries, skipped: plan.skipped });
  try {
    // Under the folder's lock, so the copies are of one generate's files, not of two.
    const copied = await withOutputLock(outDir, fsFromEnv(request.env), {}, async () => {
      for (const step of plan.steps) if (step.kind === "file") entries.push(await copyFile(project.value, dir, step));
      return ok(undefined);
    });
    if (!copied.ok) throw new StepFailed(copied.error);
    const running = await checkRunning(project.value, plan.services);
    if (!running.ok) throw new StepFailed(running.error);
    for (const step of plan.steps) if (step.kind === "dump") entries.push(await dump(project.value, dir, step));
    const text = record();
    writeRecord(dir, text, BACKUP_MANIFEST);
    syncFolder(dir);
    // Last, once every file is on disk: only a backup whose every file was written and recorded
    // gets it (a power cut before this leaves none; one after finds every file whole).
    writeRecord(dir, completeText(sha256Hex(text)), COMPLETE_MARKER);
    syncFolder(dir);
  } catch (error) {
    const failure =
      error instanceof StepFailed
        ? error.error
        : new LlmError("BACKUP_FAILED", `writing ${folder} failed: ${errnoDetail(error as NodeJS.ErrnoException, outDir)}`, { cause: error });
    try {
      writeRecord(dir, record(), BACKUP_MANIFEST);
      writeRecord(dir, `${failure.code}: ${failure.message}\n`, INCOMPLETE_MARKER);
    } catch {
      // The folder has no COMPLETE marker either way: it never looks whole.
    }
    return fail(
      new LlmError(failure.code, `${failure.message}; ${folder} is incomplete (marked ${INCOMPLETE_MARKER}) and cannot be restored`, {
        hint: `${failure.hint ? `${failure.hint}; ` : ""}delete ${folder} once a later backup is complete`,
        cause: failure,
      }),
    );
  }
  return ok({ name, folder, entries, skipped: plan.skipped });
}
