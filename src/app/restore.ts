// `llm restore NAME`: check the backup (complete, its record the one COMPLETE vouches for, every
// file's SHA-256), compare its images with the stack's, ask, then stream each dump back into its
// service and put the copied files back. Nothing is changed before every check has passed.
import { LlmError, type Result, fail, ok } from "../errors.js";
import { sha256OfFile } from "../io/files.js";
import { fsFromEnv, nodeFs, type WriterFs } from "../io/fs.js";
import { refuseLinkedFolders } from "../io/owned-folders.js";
import { commit, type Transaction } from "../io/transaction.js";
import {
  BACKUP_MANIFEST,
  COMPLETE_MARKER,
  INCOMPLETE_MARKER,
  completeText,
  isSafeRelative,
  majorChanges,
  parseManifest,
  type BackupEntry,
  type BackupManifest,
  type ImageChange,
} from "../backup/manifest.js";
import { planBackup } from "../backup/plan.js";
import { BACKUPS_DIR, SECRETS_FILE, foldersOf } from "../layout.js";
import { inside, path } from "../util/path.js";
import { sha256Hex } from "../util/sha256.js";
import { checkRunning, composeProject, docker, dockerSaid, interrupted, withSecretsOf } from "./compose-project.js";
import { openStack, type StackRequest } from "./open-stack.js";
import { errnoDetail, withOutputLock, writeFailed } from "./output-lock.js";

export interface RestorePreview {
  manifest: BackupManifest;
  /** Images whose major version changed since the backup (restored only with force). */
  imageChanges: ImageChange[];
  /** Files of the output folder the restore replaces with different bytes. */
  replacedFiles: string[];
}

export interface RestoreRequest extends StackRequest {
  env: Record<string, string | undefined>;
  name: string;
  force: boolean;
  /** Asked once every check passed; false stops with nothing changed. */
  confirm: (preview: RestorePreview) => Promise<boolean>;
  signal?: AbortSignal;
}

export interface RestoreReport {
  name: string;
  restored: BackupEntry[];
  /** Files of the output folder whose bytes the backup's replaced (llm.config.ts among them). */
  replacedFiles: string[];
  /** Commands to run afterwards, in order. */
  next: string[];
}

const isFolder = async (fs: WriterFs, dir: string): Promise<boolean> => (await fs.entry(dir))?.kind === "folder";
const exists = async (fs: WriterFs, file: string): Promise<boolean> => (await fs.entry(file)) !== null;

/** The complete backups, newest first: what an error about a name offers instead. */
async function completeBackups(fs: WriterFs, root: string): Promise<string[]> {
  try {
    const names: string[] = [];
    for (const name of await fs.list(root)) {
      const dir = inside(root, name);
      if ((await isFolder(fs, dir)) && (await exists(fs, inside(dir, COMPLETE_MARKER)))) names.push(name);
    }
    return names.sort().reverse();
  } catch {
    return [];
  }
}

export interface BackupListing {
  name: string;
  complete: boolean;
  /** Why an incomplete one failed (its INCOMPLETE marker); null when it was cut off. */
  reason: string | null;
}

/** The backups in the config's folder, oldest first, each complete or not. */
export async function listBackups(request: StackRequest): Promise<Result<BackupListing[]>> {
  const opened = await openStack(request);
  if (!opened.ok) return opened;
  const fs = nodeFs;
  const root = inside(opened.value.outDir, BACKUPS_DIR);
  const listing: BackupListing[] = [];
  try {
    for (const name of (await fs.list(root)).sort()) {
      const dir = inside(root, name);
      if (!(await isFolder(fs, dir))) continue;
      const complete = await exists(fs, inside(dir, COMPLETE_MARKER));
      if (!complete && !(await exists(fs, inside(dir, BACKUP_MANIFEST))) && !(await exists(fs, inside(dir, INCOMPLETE_MARKER)))) continue;
      listing.push({ name, complete, reason: complete ? null : ((await fs.readText(inside(dir, INCOMPLETE_MARKER)))?.trim() ?? null) });
    }
  } catch (error) {
    return fail(new LlmError("READ_FAILED", `could not list ${BACKUPS_DIR}/: ${errnoDetail(error as NodeJS.ErrnoException, opened.value.outDir)}`));
  }
  return ok(listing);
}

const corrupt = (folder: string, message: string): LlmError =>
  new LlmError("BACKUP_CORRUPT", `${folder}: ${message}`, { hint: "nothing was restored; restore another backup (ls backups/)" });

/** The backup's record, once it is complete and every file it lists reads as recorded. */
async function verified(fs: WriterFs, outDir: string, name: string): Promise<Result<BackupManifest>> {
  const root = inside(outDir, BACKUPS_DIR);
  const others = (await completeBackups(fs, root)).filter((other) => other !== name);
  const offer = others.length > 0 ? `complete backups: ${others.slice(0, 5).join(", ")}` : "make one with llm backup";
  if (!isSafeRelative(name) || name.includes("/") || !(await isFolder(fs, inside(root, name)))) {
    return fail(new LlmError("BACKUP_NOT_FOUND", `no backup ${JSON.stringify(name)} in ${BACKUPS_DIR}/`, { hint: offer }));
  }
  const dir = inside(root, name);
  const folder = `${BACKUPS_DIR}/${name}`;
  const marker = await fs.readText(inside(dir, COMPLETE_MARKER));
  if (marker === null) {
    const reason = (await fs.readText(inside(dir, INCOMPLETE_MARKER)))?.trim();
    return fail(
      new LlmError(
        "BACKUP_INCOMPLETE",
        `${folder} is incomplete (${reason ? `it failed: ${reason}` : "it was interrupted"}): it has no ${COMPLETE_MARKER} marker`,
        {
          hint: offer,
        },
      ),
    );
  }
  const text = await fs.readText(inside(dir, BACKUP_MANIFEST));
  if (text === null || marker !== completeText(sha256Hex(text)))
    return fail(corrupt(folder, `${BACKUP_MANIFEST} is not the record ${COMPLETE_MARKER} vouches for`));
  const manifest = parseManifest(text);
  if (typeof manifest === "string") return fail(corrupt(folder, `${BACKUP_MANIFEST}: ${manifest}`));
  for (const entry of manifest.entries) {
    const file = inside(dir, entry.file);
    const actual = (await exists(fs, file)) ? await sha256OfFile(file) : null;
    if (!actual) return fail(corrupt(folder, `${entry.file} is missing`));
    if (actual.sha256 !== entry.sha256 || actual.bytes !== entry.bytes) {
      return fail(corrupt(folder, `${entry.file} does not match its checksum (sha256 ${actual.sha256.slice(0, 12)}…, recorded ${entry.sha256.slice(0, 12)}…)`));
    }
  }
  return ok(manifest);
}

export async function runRestore(request: RestoreRequest): Promise<Result<RestoreReport>> {
  const opened = await openStack(request);
  if (!opened.ok) return opened;
  const project = await composeProject(opened.value, "restore", request.env, request.signal);
  if (!project.ok) return project;
  const { stack, outDir } = project.value;
  const fs = fsFromEnv(request.env);
  const checked = await verified(fs, outDir, request.name);
  if (!checked.ok) return checked;
  const manifest = checked.value;
  const dir = inside(inside(outDir, BACKUPS_DIR), request.name);
  // The backup's copies, read once: the files put back are the bytes the checksums were checked on.
  const files = manifest.entries.filter((entry) => entry.source !== undefined);
  const copies = new Map<string, string>();
  for (const entry of files) copies.set(entry.source!.path, (await fs.readText(inside(dir, entry.file))) ?? "");
  // The backup's secrets may differ from today's: docker's messages are cleaned of both.
  const saved = copies.get(SECRETS_FILE);
  if (saved !== undefined) project.value.secretValues = withSecretsOf(project.value.secretValues, saved);
  // secrets/ and the like are never written through a link, as generate refuses them.
  const linked = await refuseLinkedFolders(fs, outDir, [...copies.keys()].flatMap(foldersOf));
  if (linked) return fail(linked);

  // The commands come from today's stack (the same plan with the models in), the files from the record.
  const configFile = path.relative(outDir, opened.value.loaded.absolutePath).split(path.sep).join("/");
  const plan = planBackup(stack, { configFile, withModels: true });
  const dumps = manifest.entries.filter((entry) => entry.source === undefined);
  const stepOf = new Map(plan.steps.flatMap((step) => (step.kind === "dump" ? [[step.file, step] as const] : [])));
  const missing = dumps.filter((entry) => !stepOf.has(entry.file));
  if (missing.length > 0) {
    return fail(
      new LlmError("BACKUP_MISMATCH", `${BACKUPS_DIR}/${request.name} holds ${missing.map((e) => e.what).join(", ")}, which this stack has no service for`, {
        hint: `switch the module back on in ${opened.value.configFile} (and llm generate, docker compose up -d), then restore`,
      }),
    );
  }
  const services = [...new Set(dumps.map((entry) => entry.service as string))];
  const imageChanges = majorChanges(manifest.images, plan.images, services);
  if (imageChanges.length > 0 && !request.force) {
    return fail(
      new LlmError(
        "IMAGE_MISMATCH",
        `the stack's images differ in major version from the backup's: ${imageChanges.map((c) => `${c.service} ${c.backup} → ${c.now}`).join(", ")}`,
        {
          hint: `set the backup's images in ${opened.value.configFile} (llm generate, docker compose up -d) and restore, then upgrade (llm upgrade --plan); or --force to restore into these images anyway`,
        },
      ),
    );
  }
  const replacedFiles: string[] = [];
  for (const [file, text] of copies) if ((await fs.readText(inside(outDir, file)).catch(() => null)) !== text) replacedFiles.push(file);
  // Before the question: a stopped service is better said than found after a yes.
  const running = await checkRunning(project.value, services);
  if (!running.ok) return running;
  if (!(await request.confirm({ manifest, imageChanges, replacedFiles }))) {
    return fail(
      new LlmError("CONFIRMATION_REQUIRED", `nothing was restored: restoring ${request.name} replaces the stack's data`, {
        hint: `run \`llm restore ${request.name} --yes\` to confirm`,
      }),
    );
  }

  const restored: BackupEntry[] = [];
  const sofar = () => (restored.length > 0 ? `; restored before it: ${restored.map((e) => e.file).join(", ")}` : "; nothing was restored");
  for (const entry of dumps) {
    const step = stepOf.get(entry.file)!;
    const run = await docker(project.value, step.restore, { stdinFile: inside(dir, entry.file) });
    if (request.signal?.aborted) return fail(interrupted(`while restoring ${entry.file}${sofar()}`));
    if (run === null || run.code !== 0) {
      return fail(
        new LlmError(
          "RESTORE_FAILED",
          `restoring ${entry.file} into ${step.service} failed${run ? ` (exit ${run.code ?? "by a signal"}): ${dockerSaid(project.value, run)}` : ": docker is no longer on PATH"}${sofar()}`,
          { hint: `look at \`docker compose logs ${step.service}\`, then run llm restore ${request.name} again` },
        ),
      );
    }
    restored.push(entry);
  }
  // All at once, under the folder's lock and through its journal, as generate and secrets rotate
  // write: none of them sees half of the others, and a failure leaves every file as it was.
  const tx: Transaction = {
    writes: files.map((entry) => ({ path: entry.source!.path, text: copies.get(entry.source!.path)!, mode: entry.source!.mode })),
    deletes: [],
  };
  const put = await withOutputLock(outDir, fs, {}, async ({ txDir }) => {
    try {
      await commit(outDir, txDir, tx, fs);
      return ok(undefined);
    } catch (error) {
      const failure = writeFailed(error, outDir);
      return fail(
        new LlmError("RESTORE_FAILED", `could not put back ${files.map((entry) => entry.source!.path).join(", ")}: ${failure.message}${sofar()}`, {
          hint: `fix the cause (${failure.hint ?? "the folder's permissions"}), then run llm restore ${request.name} again`,
          cause: failure,
        }),
      );
    }
  });
  if (!put.ok) return put;
  restored.push(...files);
  const librechat = stack.librechat.services[0] ?? "librechat";
  return ok({
    name: request.name,
    restored,
    replacedFiles,
    next: [
      "llm generate",
      "docker compose up -d --force-recreate",
      ...(stack.services.some((s) => s.name === "meilisearch") ? [`docker compose exec ${librechat} npm run reset-meili-sync`] : []),
    ],
  });
}
