import type { LlmConfig } from "../generated/config-types.js";

export type { LlmConfig } from "../generated/config-types.js";
export type { ResolvedConfig } from "../generated/resolved-config-types.js";

type DeepNullable<T> = T extends readonly (infer _U)[] ? T | null : T extends object ? { [K in keyof T]?: DeepNullable<T[K]> | null } : T | null;

/**
 * What a config file or a preset may contain: any part of LlmConfig, where `null` deletes a value
 * set by an earlier layer (defaults < presets < your file < --set).
 */
export type ConfigLayer = { [K in keyof LlmConfig]?: DeepNullable<LlmConfig[K]> | null };

export type PresetName = NonNullable<LlmConfig["presets"]>[number];
