// `llm presets`: the hardware presets, and one preset's values in the schema's order.
import { leaves, type Leaf } from "../config/leaves.js";
import type { PresetName } from "../config/types.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { DEFAULTS_NAME, defaultsLayer, findPreset, presetNames as catalogNames, type Preset } from "../config/presets.js";
import { didYouMean } from "../util/did-you-mean.js";

export interface PresetSummary {
  name: string;
  description: string;
  file: string;
}

export interface PresetValues extends PresetSummary {
  values: Preset["values"];
  /** The values it exists to set, by path, with why: a later preset that changes one is warned about. */
  reasons: Preset["reasons"];
  /** The same values flattened, in the schema's key order; a null removes what an earlier layer set. */
  leaves: Leaf[];
}

/** The names a config's `presets` list accepts. */
export function presetNames(): PresetName[] {
  return catalogNames();
}

export function listPresets(): PresetSummary[] {
  return catalogNames().map((name) => summary(findPreset(name) as Preset));
}

/** One preset, or "defaults" for the built-in values. */
export function showPreset(name: string): Result<PresetValues> {
  const preset = name === DEFAULTS_NAME ? defaultsLayer() : findPreset(name);
  if (!preset) {
    const suggestion = didYouMean(name, [...catalogNames(), DEFAULTS_NAME]);
    return fail(
      new LlmError("PRESET_UNKNOWN", `unknown preset ${JSON.stringify(name)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`, {
        hint: `choose one of ${catalogNames().join(", ")} (or "defaults" for the built-in values)`,
      }),
    );
  }
  return ok({ ...summary(preset), values: preset.values, reasons: preset.reasons, leaves: leaves(preset.values as Record<string, unknown>) });
}

function summary(preset: Preset): PresetSummary {
  return { name: preset.name, description: preset.description, file: preset.file };
}
