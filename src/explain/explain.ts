// Every resolved value with the layer it came from: defaults, a preset, the user's file or --set.
import type { Resolution } from "../config/resolve.js";
import { leaves } from "../config/leaves.js";
import { layerOf } from "../config/merge.js";

export interface ExplainedValue {
  path: string;
  value: unknown;
  /** "defaults", "preset nvidia", the config file's name, or "--set". */
  source: string;
}

/** `presetsSource` is where the presets list came from: the file, or --set. */
export function explain(resolved: Resolution, configFile: string, presetsSource = configFile): ExplainedValue[] {
  return leaves(resolved.merged.value).map(({ path, value }) => ({
    path,
    value,
    // `presets` is taken from the file (or --set) before merging, so no layer records it.
    source: path === "presets" ? presetsSource : (layerOf(resolved.merged, path)?.source ?? configFile),
  }));
}

/** The layers in merge order, later wins. */
export function layerNames(resolved: Resolution, configFile: string, overridden: boolean): string[] {
  return ["defaults", ...resolved.presets.map((p) => `preset ${p}`), configFile, ...(overridden ? ["--set"] : [])];
}

/** Values at or below `prefix` (e.g. "ollama" or "ollama.gpu.vendor"). */
export function underPath(values: readonly ExplainedValue[], prefix: string): ExplainedValue[] {
  return values.filter((v) => v.path === prefix || v.path.startsWith(`${prefix}.`) || v.path.startsWith(`${prefix}[`));
}
