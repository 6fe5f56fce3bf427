// `llm outdated`: the images the folder was generated with (its manifest) and its config's pins,
// against the catalog built into this llm. Reads the config and the manifest; writes nothing and
// contacts no registry.
import { path } from "../util/path.js";
import type { ResolveOptions } from "../config/resolve.js";
import { type Result, fail, ok } from "../errors.js";
import { parseManifest, type Manifest } from "../diff/manifest.js";
import { readText } from "../io/files.js";
import { MANIFEST_FILE } from "../layout.js";
import { CATALOG_VERIFIED, compareWithCatalog, type OutdatedRow } from "../upgrade/outdated.js";
import type { Stack } from "../stack/types.js";
import { openStack, type OpenedStack } from "./open-stack.js";
import { readFailed } from "./workspace.js";

export interface OutdatedReport {
  configFile: string;
  /** The catalog's date: "current" is as of then. */
  catalogVerified: string;
  /** false: the manifest is missing or was written before it recorded images. */
  manifestImages: boolean;
  rows: OutdatedRow[];
}

/** Each service's image in the stacks of a run (Compose's and Kubernetes'). */
export function stackImages(stacks: readonly Stack[]): Record<string, string> {
  const images: Record<string, string> = {};
  for (const stack of stacks) for (const service of stack.services) images[service.name] ??= service.image;
  return images;
}

export async function readManifest(outDir: string): Promise<Result<Manifest | null>> {
  let text;
  try {
    text = await readText(path.join(outDir, ...MANIFEST_FILE.split("/")));
  } catch (error) {
    return fail(readFailed(error, outDir, MANIFEST_FILE));
  }
  return parseManifest(text);
}

function outdatedOf(opened: OpenedStack, manifest: Manifest | null): OutdatedReport {
  return {
    configFile: opened.configFile,
    catalogVerified: CATALOG_VERIFIED,
    manifestImages: manifest?.images !== undefined,
    rows: compareWithCatalog(stackImages(opened.stacks), manifest?.images),
  };
}

export async function runOutdated(request: { cwd: string; configPath?: string; options?: ResolveOptions }): Promise<Result<OutdatedReport>> {
  const opened = await openStack(request);
  if (!opened.ok) return opened;
  const manifest = await readManifest(opened.value.outDir);
  if (!manifest.ok) return manifest;
  return ok(outdatedOf(opened.value, manifest.value));
}
