// Reads the output folder and works out, file by file, what `generate` would change there: the
// rendered files, secrets.env, the private files derived from it and the manifest. Shared by
// `generate`, `generate --check` and `diff`; it never writes.
import type { Notice } from "../stack/types.js";
import { inside, path } from "../util/path.js";
import type { LoadedConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { losesWork, planChanges, withLf, type DesiredFile, type DiskFile, type FileChange } from "../diff/changes.js";
import { buildManifest, otherTargetsFiles, parseManifest, serializeManifest } from "../diff/manifest.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { fsFromEnv, type WriterFs } from "../io/fs.js";
import { MANIFEST_FILE, PRIVATE_DIR, SECRETS_FILE, STATE_DIR, TX_DIR, foldersOf } from "../layout.js";
import { refuseLinkedFolders } from "../io/owned-folders.js";
import { READS_EXISTING } from "../outputs/registry.js";
import { renderDescribed, type Generated } from "../pipeline.js";
import { isGeneratedSecret } from "../modules/registry.js";
import { checkKustomizable } from "../secrets/kustomize-env.js";
import { checkWiredSecrets } from "../secrets/wired-lines.js";
import { PRIVATE_MODE, planPrivateFiles, privateFilePaths } from "../secrets/private-files.js";
import { foreignSecrets } from "../diff/foreign-secrets.js";
import { moveForeignSecrets, type ForeignFile } from "../secrets/move-foreign.js";
import type { Manifest } from "../diff/manifest.js";
import { parseSecrets, planSecrets, type RandomString, type SecretsHistory, type SecretsPlan } from "../secrets/store.js";
import { privateFilesOf, secretSpecsOf } from "../stack/stacks.js";
import type { Stack } from "../stack/types.js";
import { trace } from "../util/trace.js";
import { didYouMean } from "../util/did-you-mean.js";
import { acceptedCheck, parsedBackSoFar } from "./accepted-outputs.js";
import { holdsData } from "./data-folders.js";
import { openStack, type OpenedStack } from "./open-stack.js";
import { errnoDetail } from "./output-lock.js";
import { unsetReferences } from "../secrets/references.js";

interface PlanRequest {
  random: RandomString;
  fs: WriterFs;
  /** Secrets the user accepts as new although the manifest says the folder had them (`--new-secret`). */
  newSecrets?: readonly string[];
  /** `--check` judges committed files only: CI has no secrets.env, so none is "lost" there. */
  ignoreLostSecrets?: boolean;
  /** `generate --force`: the secrets of env files it overwrites move into secrets.env. */
  moveForeignSecrets?: boolean;
}

export interface WorkspacePlan {
  /** Absolute; for IO only, never printed. */
  outDir: string;
  generated: Generated;
  changes: FileChange[];
  secretsAdded: string[];
  /** Of those, the ones that guard stored data and were made anew because their data folder holds
   * nothing yet, with that folder. */
  secretsRenewed: SecretsPlan["renewed"];
  /** Names given to --new-secret that exist already (kept: rotating is `llm secrets rotate`). */
  secretsKept: string[];
  /** Secrets taken out of files the tool did not write, before --force replaced them. */
  secretsMoved: { file: string; names: string[] }[];
  /** For redacting diffs: every secret value, those this run would create, and the secret-looking
   * values of files it would overwrite that are not its own. */
  secretValues: { values: string[]; created: string[]; foreign: string[] };
  /** What the rendering read from the folder: the same again means the same rendered files. */
  rendered: ReadonlyMap<string, DiskFile>;
  /** Everything the plan read from the folder (rendered files, secrets, private files). */
  read: ReadonlyMap<string, DiskFile>;
  /** The endpoints' ${NAME}s that secrets.env leaves unset, as warnings. */
  unsetReferences: Notice[];
}

function sameDisk(a: ReadonlyMap<string, DiskFile>, b: ReadonlyMap<string, DiskFile>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, entry] of a) {
    const other = b.get(file);
    if (!other || other.text !== entry.text || other.mode !== entry.mode) return false;
  }
  return true;
}

/** Reads `files` into `into`, after making sure no folder on their way is a symbolic link. A
 * failure names the file (Node's message for some errors, EISDIR among them, names none). */
async function readDisk(
  fs: WriterFs,
  outDir: string,
  files: Iterable<string>,
  into: Map<string, DiskFile>,
  checked: Set<string>,
): Promise<LlmError | undefined> {
  const wanted = [...new Set(files)].filter((file) => !into.has(file));
  const linked = await refuseLinkedFolders(fs, outDir, wanted.flatMap(foldersOf), checked);
  if (linked) return linked;
  for (const file of wanted) {
    // Every name here is normalized: outputs and private files by construction, the manifest's
    // by parseManifest (isSafeRelativePath).
    let read;
    try {
      read = await fs.readFile(inside(outDir, file));
    } catch (error) {
      return readFailed(error, outDir, file);
    }
    into.set(file, { text: read?.text ?? null, mode: read?.mode ?? null });
  }
  return undefined;
}

/** `earlier`: a plan made with the same request moments ago. When the folder still reads the
 * same, its rendered files are reused (rendering and parsing back is the expensive part), and when
 * nothing else it read changed either and it drew no new secret, the whole plan is: the same
 * inputs give the same plan, whatever `random` is. */
async function planWorkspace(opened: OpenedStack, request: PlanRequest, earlier?: WorkspacePlan): Promise<Result<WorkspacePlan>> {
  const { outDir, loaded } = opened;
  const disk = new Map<string, DiskFile>();
  const checked = new Set<string>();
  // The run's own folders first: recovery lists and empties .llm/tx.
  const ownState = await refuseLinkedFolders(request.fs, outDir, [STATE_DIR, TX_DIR], checked);
  if (ownState) return fail(ownState);
  const first = await readDisk(request.fs, outDir, [MANIFEST_FILE, SECRETS_FILE, ...READS_EXISTING], disk, checked);
  if (first) return fail(first);
  const manifest = parseManifest(disk.get(MANIFEST_FILE)?.text ?? null);
  if (!manifest.ok) return manifest;
  const listed = await readDisk(request.fs, outDir, Object.keys(manifest.value?.files ?? {}), disk, checked);
  if (listed) return fail(listed);

  const renderedAgain = earlier !== undefined && sameDisk(earlier.rendered, disk);
  const generated = renderedAgain
    ? ok(earlier.generated)
    : renderDescribed(opened, path.basename(loaded.absolutePath), (file) => withLfOrNull(disk.get(file)?.text ?? null), acceptedCheck);
  if (!generated.ok) return generated;
  const rendered = new Map(disk);
  const { stacks } = generated.value;
  const stackFiles = privateFilesOf(stacks);
  const privateRead = await readDisk(request.fs, outDir, [...generated.value.files.map((file) => file.path), ...privateFilePaths(stackFiles)], disk, checked);
  if (privateRead) return fail(privateRead);
  if (renderedAgain && earlier.secretsAdded.length === 0 && sameDisk(earlier.read, disk)) return ok(earlier);

  const newSecrets = request.newSecrets ?? [];
  const specs = secretSpecsOf(stacks);
  const secretNames = specs.map((s) => s.name);
  const unknown = newSecrets.filter((name) => !secretNames.includes(name));
  if (unknown.length > 0) return fail(unknownNewSecret(unknown, secretNames));
  const foreign = foreignFiles(generated.value.files, disk, manifest.value);
  let secretsBefore = disk.get(SECRETS_FILE)?.text ?? null;
  let secretsMoved: WorkspacePlan["secretsMoved"] = [];
  const losing = notHeld(foreign, secretsBefore);
  if (request.moveForeignSecrets && losing.length > 0) {
    const moved = moveForeignSecrets(secretsBefore, losing);
    if (!moved.ok) return moved;
    secretsBefore = moved.value.text;
    secretsMoved = moved.value.moved;
  }
  const recorded = manifest.value?.secrets ?? [];
  const judged = new Set(request.ignoreLostSecrets ? [] : recorded);
  const history: SecretsHistory = {
    recorded: judged,
    accepted: new Set(newSecrets),
    dataFolders: await guardedDataFolders(request.fs, outDir, generated.value, judged, secretsBefore),
  };
  const secrets = planSecrets(secretsBefore, specs, request.random, history);
  if (!secrets.ok) return secrets;
  // kustomize's secretGenerator reads secrets.env too, unless the Secret is the user's own.
  if (generated.value.stacks.some((stack) => stack.kubernetes && !stack.kubernetes.secrets.existingSecret)) {
    const kustomizable = checkKustomizable(secrets.value.text);
    if (!kustomizable.ok) return kustomizable;
  }
  const wired = checkWiredSecrets(secretsBefore);
  if (!wired.ok) return wired;
  const userSecrets = [...parseSecrets(secretsBefore ?? "")]
    .filter(([name]) => !isGeneratedSecret(name))
    .map(([name, entry]): [string, string] => [name, entry.value]);
  let privateFiles;
  try {
    privateFiles = await planPrivateFiles(stackFiles, secrets.value.values, userSecrets, async (file) => disk.get(file)?.text ?? null, secrets.value.text);
  } catch (error) {
    return fail(readFailed(error, outDir, stackFiles[0]?.path ?? PRIVATE_DIR));
  }

  const files = generated.value.files;
  const wanted = new Set([...files, ...privateFiles].map((file) => file.path));
  const { kept, owned } = otherTargetsFiles(manifest.value, wanted, generated.value.resolved.onlyTarget);
  const desired: DesiredFile[] = [
    ...files.map((file): DesiredFile => ({ path: file.path, contents: file.contents, mode: file.mode, role: file.managedBlock ? "managed-block" : "output" })),
    { path: SECRETS_FILE, contents: secrets.value.text, mode: PRIVATE_MODE, role: "secrets" },
    ...privateFiles.map((file): DesiredFile => ({ path: file.path, contents: file.contents, mode: file.mode, role: "private" })),
    // The names recorded before stay: a module switched off keeps its secrets in secrets.env.
    {
      path: MANIFEST_FILE,
      contents: serializeManifest(
        buildManifest(
          files,
          privateFiles,
          [...recorded, ...secretNames],
          kept,
          deployedImages(stacks, generated.value.resolved.onlyTarget ? manifest.value?.images : undefined),
        ),
      ),
      mode: 0o644,
      role: "manifest",
    },
  ];
  const changes = planChanges(desired, (file) => disk.get(file) ?? { text: null, mode: null }, owned, { modes: request.fs.modes });
  const values = [...parseSecrets(disk.get(SECRETS_FILE)?.text ?? ""), ...parseSecrets(secretsBefore ?? ""), ...parseSecrets(secrets.value.text)].map(
    ([, entry]) => entry.value,
  );
  const created = secrets.value.added.map((name) => secrets.value.values.get(name) ?? "");
  const secretsKept = newSecrets.filter((name) => !secrets.value.added.includes(name));
  return ok({
    outDir,
    generated: generated.value,
    changes,
    secretsAdded: secrets.value.added,
    secretsRenewed: secrets.value.renewed,
    secretsKept,
    secretsMoved,
    secretValues: { values, created, foreign: foreign.flatMap((file) => file.secrets.map((secret) => secret.value)) },
    rendered,
    read: disk,
    unsetReferences: unsetReferences(generated.value.stack, secrets.value.text),
  });
}

/** The generated files whose disk copy is not the tool's (never written by it, or edited since),
 * with the secrets in it that the generated file does not keep. */
function foreignFiles(files: Generated["files"], disk: ReadonlyMap<string, DiskFile>, manifest: Manifest | null): ForeignFile[] {
  const out: ForeignFile[] = [];
  for (const file of files) {
    // A managed block's file keeps the user's own lines.
    if (file.managedBlock) continue;
    const text = disk.get(file.path)?.text ?? null;
    if (text === null || losesWork("output", text, file.contents, manifest?.files[file.path]) === null) continue;
    const secrets = foreignSecrets(text, file.path).filter((secret) => !file.contents.includes(secret.value));
    if (secrets.length > 0) out.push({ path: file.path, text, secrets });
  }
  return out;
}

/** The foreign secrets that secrets.env does not hold: a value it holds is not lost when the file
 * goes (`llm init --from` put it there, or the user copied it). */
function notHeld(files: readonly ForeignFile[], secretsText: string | null): ForeignFile[] {
  const held = [...parseSecrets(secretsText ?? "").values()].map((entry) => entry.value);
  const isHeld = (value: string) => held.some((entry) => entry === value || (value.length >= 8 && entry.includes(value)));
  return files.map((file) => ({ ...file, secrets: file.secrets.filter((secret) => !isHeld(secret.value)) })).filter((file) => file.secrets.length > 0);
}

/** Each service's image, as the manifest records it. A run for one target keeps what the other
 * target's services were generated with. */
function deployedImages(stacks: readonly Stack[], kept: Record<string, string> | undefined): Record<string, string> {
  const images: Record<string, string> = { ...kept };
  for (const stack of stacks) for (const service of stack.services) images[service.name] = service.image;
  return images;
}

/** The data folders that secrets missing from secrets.env guard (those the manifest says the
 * folder had), and whether each holds data: a lost secret is SECRET_LOST only where the data it
 * protects can be. Read only when such a secret is missing, so an everyday run lists nothing. On
 * Kubernetes the data is in the cluster's claims, which no folder here tells of: such a secret
 * counts as guarding data (a new cluster takes `--new-secret`). */
export async function guardedDataFolders(
  fs: WriterFs,
  outDir: string,
  described: { stacks: readonly Stack[]; resolved: { declaredTargets: readonly string[] } },
  recorded: ReadonlySet<string>,
  secretsText: string | null,
): Promise<SecretsHistory["dataFolders"]> {
  const out = new Map<string, { path: string; hasData: boolean }>();
  const stack = described.stacks.find((s) => s.target === "compose");
  if (!stack || described.resolved.declaredTargets.includes("kubernetes")) return out;
  const present = parseSecrets(secretsText ?? "");
  const services = new Set(
    stack.secrets.flatMap(({ name, spec }) => (spec.guardsDataOf !== undefined && recorded.has(name) && !present.has(name) ? [spec.guardsDataOf] : [])),
  );
  for (const folder of stack.dataFolders) {
    if (services.has(folder.service) && !out.has(folder.service))
      out.set(folder.service, { path: folder.path, hasData: await holdsData(fs, outDir, folder.path) });
  }
  return out;
}

function unknownNewSecret(names: readonly string[], known: readonly string[]): LlmError {
  const suggestion = didYouMean(names[0] ?? "", known);
  return new LlmError("USAGE", `--new-secret ${names.join(", ")}: not a secret this stack has${suggestion ? `; did you mean ${suggestion}?` : ""}`, {
    hint: `llm generate creates ${known.join(", ")}; your own keys in ${SECRETS_FILE} are yours to edit`,
  });
}

/** A user's file the tool merges into (.gitignore) is read with LF line endings: the merged file
 * is written with LF, as everything the tool writes. */
const withLfOrNull = (text: string | null) => (text === null ? null : withLf(text));

export function readFailed(error: unknown, outDir: string, file: string): LlmError {
  const detail = errnoDetail(error as NodeJS.ErrnoException, outDir);
  return new LlmError("READ_FAILED", `could not read ${file}: ${detail}`, {
    hint:
      (error as NodeJS.ErrnoException).code === "EISDIR"
        ? `${file} is a folder where llm writes a file: move it away`
        : `check the permissions of ${file} and its folder`,
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
  /** `--new-secret NAME`: create these although the folder had them and their data is there. */
  newSecrets?: readonly string[];
  ignoreLostSecrets?: boolean;
  moveForeignSecrets?: boolean;
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
  const planRequest = {
    fs,
    ...(request.newSecrets ? { newSecrets: request.newSecrets } : {}),
    ...(request.ignoreLostSecrets ? { ignoreLostSecrets: true } : {}),
    ...(request.moveForeignSecrets ? { moveForeignSecrets: true } : {}),
  };
  const precheck = await planWorkspace(stack, { ...planRequest, random: noRandom });
  trace(`rendered, ${parsedBackSoFar()} parsed back, compared`);
  if (!precheck.ok) return precheck;
  return ok({ loaded, fs, precheck: precheck.value, replan: (random) => planWorkspace(stack, { ...planRequest, random }, precheck.value) });
}
