// Reads the output folder and works out, file by file, what `generate` would change there: the
// rendered files, secrets.env, the private files derived from it and the manifest. Shared by
// `generate`, `generate --check` and `diff`; it never writes.
import { inside, path } from "../util/path.js";
import type { LoadedConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { planChanges, type DesiredFile, type DiskFile, type FileChange } from "../diff/changes.js";
import { buildManifest, otherTargetsFiles, parseManifest, serializeManifest } from "../diff/manifest.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { fsFromEnv, type WriterFs } from "../io/fs.js";
import { MANIFEST_FILE } from "../layout.js";
import { READS_EXISTING } from "../outputs/registry.js";
import { renderDescribed, type Generated } from "../pipeline.js";
import { SECRETS_FILE } from "../layout.js";
import { isGeneratedSecret } from "../modules/registry.js";
import { PRIVATE_MODE, planPrivateFiles } from "../secrets/private-files.js";
import { checkKustomizable } from "../secrets/kustomize-env.js";
import { parseSecrets, planSecrets, type RandomString } from "../secrets/store.js";
import { privateFilesOf, secretSpecsOf } from "../stack/stacks.js";
import { trace } from "../util/trace.js";
import { acceptedCheck, parsedBackSoFar } from "./accepted-outputs.js";
import { openStack, type OpenedStack } from "./open-stack.js";
import { errnoDetail } from "./output-lock.js";

interface PlanRequest {
  random: RandomString;
  fs: WriterFs;
}

export interface WorkspacePlan {
  /** Absolute; for IO only, never printed. */
  outDir: string;
  generated: Generated;
  changes: FileChange[];
  secretsAdded: string[];
  /** For redacting diffs: every secret value, and those this run would create. */
  secretValues: { values: string[]; created: string[] };
  /** What the rendering read from the folder: the same again means the same rendered files. */
  rendered: ReadonlyMap<string, DiskFile>;
  /** Everything the plan read from the folder (rendered files, secrets, private files). */
  read: ReadonlyMap<string, DiskFile>;
}

function sameDisk(a: ReadonlyMap<string, DiskFile>, b: ReadonlyMap<string, DiskFile>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, entry] of a) {
    const other = b.get(file);
    if (!other || other.text !== entry.text || other.mode !== entry.mode) return false;
  }
  return true;
}

async function readDisk(fs: WriterFs, outDir: string, files: Iterable<string>, into: Map<string, DiskFile>): Promise<void> {
  const wanted = [...new Set(files)].filter((file) => !into.has(file));
  const entries = await Promise.all(
    wanted.map(async (file): Promise<[string, DiskFile]> => {
      // Every name here is normalized: outputs and private files by construction, the manifest's
      // by parseManifest (isSafeRelativePath).
      const absolute = inside(outDir, file);
      const read = await fs.readFile(absolute);
      return [file, { text: read?.text ?? null, mode: read?.mode ?? null }];
    }),
  );
  for (const [file, entry] of entries) into.set(file, entry);
}

/** `earlier`: a plan made with the same request moments ago. When the folder still reads the
 * same, its rendered files are reused (rendering and parsing back is the expensive part), and when
 * nothing else it read changed either and it drew no new secret, the whole plan is: the same
 * inputs give the same plan, whatever `random` is. */
async function planWorkspace(opened: OpenedStack, request: PlanRequest, earlier?: WorkspacePlan): Promise<Result<WorkspacePlan>> {
  const { outDir, loaded } = opened;
  const disk = new Map<string, DiskFile>();
  try {
    await readDisk(request.fs, outDir, [MANIFEST_FILE, SECRETS_FILE, ...READS_EXISTING], disk);
  } catch (error) {
    return fail(readFailed(error, outDir));
  }
  const manifest = parseManifest(disk.get(MANIFEST_FILE)?.text ?? null);
  if (!manifest.ok) return manifest;
  try {
    await readDisk(request.fs, outDir, Object.keys(manifest.value?.files ?? {}), disk);
  } catch (error) {
    return fail(readFailed(error, outDir));
  }

  const renderedAgain = earlier !== undefined && sameDisk(earlier.rendered, disk);
  const generated = renderedAgain
    ? ok(earlier.generated)
    : renderDescribed(opened, path.basename(loaded.absolutePath), (file) => disk.get(file)?.text ?? null, acceptedCheck);
  if (!generated.ok) return generated;
  const rendered = new Map(disk);
  const stackFiles = privateFilesOf(generated.value.stacks);
  try {
    await readDisk(request.fs, outDir, [...generated.value.files.map((file) => file.path), ...stackFiles.map((file) => file.path)], disk);
  } catch (error) {
    return fail(readFailed(error, outDir));
  }
  if (renderedAgain && earlier.secretsAdded.length === 0 && sameDisk(earlier.read, disk)) return ok(earlier);

  const secretsBefore = disk.get(SECRETS_FILE)?.text ?? null;
  const secrets = planSecrets(secretsBefore, secretSpecsOf(generated.value.stacks), request.random);
  if (!secrets.ok) return secrets;
  // kustomize's secretGenerator reads secrets.env too, unless the Secret is the user's own.
  if (generated.value.stacks.some((stack) => stack.kubernetes && !stack.kubernetes.secrets.existingSecret)) {
    const kustomizable = checkKustomizable(secrets.value.text);
    if (!kustomizable.ok) return kustomizable;
  }
  const userSecrets = [...parseSecrets(secretsBefore ?? "")]
    .filter(([name]) => !isGeneratedSecret(name))
    .map(([name, entry]): [string, string] => [name, entry.value]);
  let privateFiles;
  try {
    privateFiles = await planPrivateFiles(stackFiles, secrets.value.values, userSecrets, async (file) => disk.get(file)?.text ?? null);
  } catch (error) {
    return fail(readFailed(error, outDir));
  }

  const files = generated.value.files;
  const wanted = new Set([...files, ...privateFiles].map((file) => file.path));
  const { kept, owned } = otherTargetsFiles(manifest.value, wanted, generated.value.resolved.onlyTarget);
  const desired: DesiredFile[] = [
    ...files.map((file): DesiredFile => ({ path: file.path, contents: file.contents, mode: file.mode, role: file.managedBlock ? "managed-block" : "output" })),
    { path: SECRETS_FILE, contents: secrets.value.text, mode: PRIVATE_MODE, role: "secrets" },
    ...privateFiles.map((file): DesiredFile => ({ path: file.path, contents: file.contents, mode: file.mode, role: "private" })),
    { path: MANIFEST_FILE, contents: serializeManifest(buildManifest(files, privateFiles, kept)), mode: 0o644, role: "manifest" },
  ];
  const changes = planChanges(desired, (file) => disk.get(file) ?? { text: null, mode: null }, owned);
  const values = [...parseSecrets(secretsBefore ?? ""), ...parseSecrets(secrets.value.text)].map(([, entry]) => entry.value);
  const created = secrets.value.added.map((name) => secrets.value.values.get(name) ?? "");
  return ok({ outDir, generated: generated.value, changes, secretsAdded: secrets.value.added, secretValues: { values, created }, rendered, read: disk });
}

function readFailed(error: unknown, outDir: string): LlmError {
  return new LlmError("READ_FAILED", `could not read the output folder: ${errnoDetail(error as NodeJS.ErrnoException, outDir)}`, {
    hint: "check the folder's permissions",
    cause: error,
  });
}

/** For plans that are never written: a secret it would create is a constant, not a random draw. */
export const noRandom: RandomString = (alphabet, length) => (alphabet[0] ?? "0").repeat(length);

export interface WorkspaceRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  fs?: WriterFs;
  /** The process environment, for the debugging knobs io/fs.ts reads (LLM_DEBUG_WRITE_DELAY_MS);
   * ignored when `fs` is given. */
  env?: Record<string, string | undefined>;
}

export interface Workspace {
  loaded: LoadedConfig;
  fs: WriterFs;
  /** The folder as it is now, every check done; nothing written. */
  precheck: WorkspacePlan;
  /** Plans again (after taking the lock, or recovering), reusing the precheck's rendering when
   * the folder still reads the same. */
  replan: (random: RandomString) => Promise<Result<WorkspacePlan>>;
}

/** Loads the config and plans against the folder: the first step of generate, check and diff. */
export async function openWorkspace(request: WorkspaceRequest): Promise<Result<Workspace>> {
  const opened = await openStack(request);
  trace("config loaded, resolved, built");
  if (!opened.ok) return opened;
  const stack = opened.value;
  const { loaded } = stack;
  const fs = request.fs ?? fsFromEnv(request.env ?? {});
  const precheck = await planWorkspace(stack, { random: noRandom, fs });
  trace(`rendered, ${parsedBackSoFar()} parsed back, compared`);
  if (!precheck.ok) return precheck;
  return ok({ loaded, fs, precheck: precheck.value, replan: (random) => planWorkspace(stack, { random, fs }, precheck.value) });
}
