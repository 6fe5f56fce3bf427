// `llm upgrade`: move the config's image pins to the catalog's (or to `--to` values), write the
// files again, and say what the move asks of the data and the host. `--plan` only says it. The
// "from" side is what the manifest says the folder was generated with, so the plan is offline.
import { path } from "../util/path.js";
import type { ResolveOptions } from "../config/resolve.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import type { Manifest } from "../diff/manifest.js";
import { readText, writeAtomic, fileMode } from "../io/files.js";
import { describeStack } from "../pipeline.js";
import { compareVersions, tagVersion } from "../stack/images.js";
import type { Stack } from "../stack/types.js";
import { catalogEntryOf, configPathOf, imageRepository } from "../upgrade/catalog-match.js";
import { editPins, type PinEdit } from "../upgrade/config-edit.js";
import { planSteps, type ImageMove, type PlannedStep } from "../upgrade/plan.js";
import { imageCatalog } from "../generated/catalog.js";
import { runGenerate, type GenerateReport } from "./generate.js";
import { openStack, type OpenedStack } from "./open-stack.js";
import { withOutputLock, type LockedContext } from "./output-lock.js";
import { fsFromEnv } from "../io/fs.js";
import { checkDataFolders } from "./data-folders.js";
import { readManifest, stackImages } from "./deployed-images.js";
import { readFailed } from "./workspace.js";
import type { RandomString } from "../secrets/store.js";

export interface UpgradeRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  /** `service=tag` or `service=image` ("meilisearch=v1.35.1"); a catalog id works as the name too. */
  to: readonly string[];
  /** false: `--plan`, nothing written. */
  apply: boolean;
  /** How the user runs llm, for the commands shown. */
  llm: string;
  random?: RandomString;
  env?: Record<string, string | undefined>;
}

export interface UpgradeReport {
  configFile: string;
  /** The pins changed in the config (empty when its pins are the catalog's already). */
  edits: PinEdit[];
  /** Pins left as they were, and why (newer than the catalog, a tag without a version). */
  kept: { path: string; image: string; reason: string }[];
  moves: ImageMove[];
  /** false: the manifest does not record images; the config's pins stand in for what runs. */
  manifestImages: boolean;
  steps: PlannedStep[];
  /** What the plan does not cover for this stack. */
  notes: string[];
  generated?: GenerateReport;
}

const usage = (message: string, hint: string) => new LlmError("USAGE", message, { hint });

function nested(edits: readonly PinEdit[]): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  for (const { path: at, image } of edits) {
    const keys = at.split(".");
    let node = layer;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = image;
  }
  return layer;
}

function merge(base: Record<string, unknown> | undefined, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = out[key];
    out[key] =
      value && typeof value === "object" && existing && typeof existing === "object"
        ? merge(existing as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

function valueAt(config: unknown, at: string): unknown {
  return at.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), config);
}

/** The pins to move: each `--to`, then every pin behind the catalog's. */
function pinEdits(opened: OpenedStack, to: readonly string[]): Result<{ edits: PinEdit[]; kept: UpgradeReport["kept"] }> {
  const running = opened.stacks.flatMap((stack) => stack.services);
  const edits = new Map<string, string>();
  for (const item of to) {
    const eq = item.indexOf("=");
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (eq <= 0 || value === "")
      return fail(
        usage(
          `--to ${JSON.stringify(item)}: expected service=tag or service=image`,
          "for example --to meilisearch=v1.35.1 or --to meilisearch=getmeili/meilisearch:v1.35.1",
        ),
      );
    const service = running.find((s) => s.name === name);
    const entry = service ? catalogEntryOf(service.image) : imageCatalog.images.find((image) => image.id === name);
    const at = entry ? configPathOf(entry) : undefined;
    if (!entry || !at) {
      const names = [...new Set(running.flatMap((s) => (catalogEntryOf(s.image) && configPathOf(catalogEntryOf(s.image)!) ? [s.name] : [])))];
      return fail(usage(`--to ${name}: no service of this stack with an image pin is called ${name}`, `use one of: ${names.join(", ")}`));
    }
    const configured = String(valueAt(opened.resolved.config, at) ?? entry.image);
    const image = value.includes(":") || value.includes("/") ? value : `${imageRepository(configured)}:${value}`;
    if (!tagVersion(image)) return fail(usage(`--to ${item}: ${image} names no version`, "give a released tag, such as v1.35.1"));
    edits.set(at, image);
  }
  const kept: UpgradeReport["kept"] = [];
  const seen = new Set<string>();
  for (const service of running) {
    const entry = catalogEntryOf(service.image);
    const at = entry ? configPathOf(entry) : undefined;
    if (!entry || !at || edits.has(at) || seen.has(at)) continue;
    seen.add(at);
    const configured = valueAt(opened.resolved.config, at);
    if (typeof configured !== "string" || catalogEntryOf(configured)?.id !== entry.id) continue;
    const version = tagVersion(configured);
    const order = version ? compareVersions(version, tagVersion(entry.image)!) : undefined;
    if (order === undefined) kept.push({ path: at, image: configured, reason: "its tag names no version" });
    else if (order > 0) kept.push({ path: at, image: configured, reason: `newer than the catalog's ${entry.image}` });
    else if (configured !== entry.image) edits.set(at, entry.image);
  }
  return ok({ edits: [...edits].map(([at, image]) => ({ path: at, image })), kept });
}

/** One move per catalog image: from what the manifest says ran (or the config's pin) to the new stack's. */
function movesOf(from: readonly Stack[], to: readonly Stack[], deployed: Record<string, string> | undefined): ImageMove[] {
  const before = stackImages(from);
  const moves = new Map<string, ImageMove>();
  const fromStack = from.find((s) => s.target === "compose") ?? from[0];
  const toStack = to.find((s) => s.target === "compose") ?? to[0];
  for (const [service, image] of Object.entries(stackImages(to))) {
    const was = deployed?.[service] ?? before[service];
    if (!was) continue;
    const entry = catalogEntryOf(image) ?? catalogEntryOf(was);
    if (!entry || moves.has(entry.id)) continue;
    const fromDir = fromStack?.dataFolders.find((f) => f.service === service)?.path;
    const toDir = toStack?.dataFolders.find((f) => f.service === service)?.path;
    moves.set(entry.id, { image: entry.id, service, from: was, to: image, ...(fromDir ? { fromDir } : {}), ...(toDir ? { toDir } : {}) });
  }
  return [...moves.values()];
}

/** The stacks the deployed images make (their data folders are the "from" of a data step). */
function deployedStacks(opened: OpenedStack, options: ResolveOptions | undefined, deployed: Record<string, string> | undefined): Stack[] {
  if (!deployed) return opened.stacks;
  const edits: PinEdit[] = [];
  for (const [service, image] of Object.entries(deployed)) {
    const entry = catalogEntryOf(image);
    const at = entry ? configPathOf(entry) : undefined;
    if (at && opened.stacks.some((s) => s.services.some((x) => x.name === service))) edits.push({ path: at, image });
  }
  const described = describeStack(opened.loaded, { ...options, overrides: merge(options?.overrides, nested(edits)) });
  return described.ok ? described.value.stacks : opened.stacks;
}

export async function runUpgrade(request: UpgradeRequest): Promise<Result<UpgradeReport>> {
  const opened = await openStack(request);
  if (!opened.ok) return opened;
  const manifest = await readManifest(opened.value.outDir);
  if (!manifest.ok) return manifest;
  const pins = pinEdits(opened.value, request.to);
  if (!pins.ok) return pins;
  const { edits, kept } = pins.value;
  const source = opened.value.loaded;
  let text: string | null;
  try {
    text = await readText(source.absolutePath);
  } catch (error) {
    return fail(readFailed(error, path.dirname(source.absolutePath), path.basename(source.absolutePath)));
  }
  const edited = edits.length > 0 ? editPins(text ?? "", source.file, edits) : ok(text ?? "");
  if (!edited.ok) return edited;
  const upgraded = describeStack(source, { ...request.options, overrides: merge(request.options?.overrides, nested(edits)) });
  if (!upgraded.ok) return upgraded;
  const deployed = (manifest.value as Manifest | null)?.images;
  const moves = movesOf(deployedStacks(opened.value, request.options, deployed), upgraded.value.stacks, deployed);
  const librechat = upgraded.value.stack.librechat.services[0] ?? "librechat";
  const report: UpgradeReport = {
    configFile: source.file,
    edits,
    kept,
    moves,
    manifestImages: deployed !== undefined,
    steps: planSteps(moves, {
      llm: request.llm,
      librechat,
      regenerated: request.apply,
      mongoAuth: upgraded.value.resolved.config.mongodb.auth,
      backup: upgraded.value.stacks.some((stack) => stack.target === "compose"),
    }),
    notes: upgraded.value.stacks.some((stack) => stack.target === "compose")
      ? []
      : [
          "the commands are Docker Compose's: on Kubernetes, apply the new manifests with `kubectl apply -k .` and run each data step's commands in its pod (kubectl exec); llm does not write them for Kubernetes yet",
        ],
  };
  if (!request.apply) return ok(report);

  // What the plan's data steps move once the files are written: the new folder is empty until then.
  const plannedDataMoves = moves.flatMap((move) =>
    move.fromDir && move.toDir && move.fromDir !== move.toDir && report.steps.some((step) => step.kind === "data" && step.service === move.service)
      ? [{ from: move.fromDir, to: move.toDir }]
      : [],
  );
  const generate = (heldLock?: LockedContext) =>
    runGenerate({
      ...request,
      ...(request.configPath ? { configPath: request.configPath } : {}),
      ...(request.env ? { env: request.env } : {}),
      plannedDataMoves,
      ...(heldLock ? { heldLock } : {}),
    });
  if (edits.length === 0) {
    const generated = await generate();
    return generated.ok ? ok({ ...report, generated: generated.value }) : generated;
  }

  // The data folders first, as generate judges them: a refusal leaves the config untouched too.
  const fs = fsFromEnv(request.env ?? {});
  const data = await checkDataFolders(upgraded.value.stack, fs, opened.value.outDir, source.file, plannedDataMoves);
  if (!data.ok) return data;

  // The config first, under the folder's lock (so no other run reads it half-way through the
  // upgrade), checked by loading it back: it must give exactly the pins asked for.
  return withOutputLock(opened.value.outDir, fs, {}, async (held) => {
    const mode = (await fileMode(source.absolutePath)) ?? 0o644;
    try {
      await writeAtomic(source.absolutePath, edited.value, mode & 0o7777);
    } catch (error) {
      return fail(new LlmError("WRITE_FAILED", `${source.file} could not be written: ${(error as Error).message}`, { cause: error }));
    }
    const restore = async () => writeAtomic(source.absolutePath, text ?? "", mode & 0o7777);
    const reread = await openStack({
      cwd: request.cwd,
      ...(request.configPath ? { configPath: request.configPath } : {}),
      ...(request.options ? { options: request.options } : {}),
    });
    const wrong = reread.ok ? edits.filter((e) => valueAt(reread.value.resolved.config, e.path) !== e.image) : edits;
    if (wrong.length > 0) {
      await restore();
      return fail(
        new LlmError(
          "CONFIG_EDIT_REFUSED",
          `${source.file}: after the edit ${wrong.map((e) => e.path).join(", ")} did not read as ${wrong.map((e) => e.image).join(", ")}; the file was put back as it was`,
          {
            hint: `set ${wrong.map((e) => `${e.path}: "${e.image}"`).join(", ")} by hand`,
          },
        ),
      );
    }
    const generated = await generate(held);
    if (!generated.ok || generated.value.refused.length > 0) await restore();
    return generated.ok ? ok({ ...report, generated: generated.value }) : generated;
  });
}
