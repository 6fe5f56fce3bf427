// `llm outdated`: the images the folder was generated with (its manifest) and its config's pins,
// against the catalog built into this llm. Reads the config and the manifest; writes nothing and
// contacts no registry.
import type { ResolveOptions } from "../config/resolve.js";
import { type Result, ok } from "../errors.js";
import type { Manifest } from "../diff/manifest.js";
import { CATALOG_VERIFIED, compareWithCatalog, type OutdatedRow } from "../upgrade/outdated.js";
import { openStack, type OpenedStack } from "./open-stack.js";
import { readManifest, stackImages } from "./deployed-images.js";

export interface OutdatedReport {
  configFile: string;
  /** The catalog's date: "current" is as of then. */
  catalogVerified: string;
  /** false: the manifest is missing or was written before it recorded images. */
  manifestImages: boolean;
  rows: OutdatedRow[];
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
