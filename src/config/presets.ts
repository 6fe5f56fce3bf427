import { presetFiles } from "../generated/presets.js";
import type { ConfigLayer, PresetName } from "./types.js";

/** The layer every config starts from; not a selectable preset. */
export const DEFAULTS_NAME = "defaults";

export interface Preset {
  name: string;
  /** Where the preset's data lives, for diagnostics and provenance. */
  file: string;
  description: string;
  /** The values the preset exists to set, by config path, with why (`reasons` in its file). */
  reasons: Record<string, string>;
  values: ConfigLayer;
}

function toPreset(name: string, data: unknown): Preset {
  const { $schema: _schema, description, reasons, ...values } = data as ConfigLayer & { description?: string; reasons?: Record<string, string> };
  return { name, file: `presets/${name}.json`, description: description ?? "", reasons: reasons ?? {}, values };
}

/** Raw preset data as shipped, for validation (which must see `$schema` and `description` too). */
export function rawPresetData(name: string): unknown {
  return (presetFiles as Record<string, unknown>)[name];
}

export function defaultsLayer(): Preset {
  return toPreset(DEFAULTS_NAME, rawPresetData(DEFAULTS_NAME));
}

export function presetNames(): PresetName[] {
  return Object.keys(presetFiles)
    .filter((name) => name !== DEFAULTS_NAME)
    .sort() as PresetName[];
}

export function findPreset(name: string): Preset | undefined {
  if (name === DEFAULTS_NAME || !Object.hasOwn(presetFiles, name)) return undefined;
  return toPreset(name, rawPresetData(name));
}
