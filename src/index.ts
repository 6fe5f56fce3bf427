// Public API. Everything here works in memory except loadConfig, which reads the config file.
export { defineConfig } from "./config/define-config.js";
export type { ConfigLayer, LlmConfig, PresetName, ResolvedConfig } from "./config/types.js";
export { loadConfig, type LoadedConfig } from "./config/load.js";
export type { ConfigSource, ResolveOptions, Resolution } from "./config/resolve.js";
export { resolveChecked as resolveConfig } from "./pipeline.js";
export { LlmError, type Diagnostic, type ErrorCode, type Result } from "./errors.js";
export type { FilePlan } from "./outputs/types.js";
export type { Generated } from "./pipeline.js";
export type { Stack, Service } from "./stack/types.js";
import { generateFromSource, type Generated } from "./pipeline.js";
import type { ResolveOptions } from "./config/resolve.js";
import { resolveChecked } from "./pipeline.js";
import type { Diagnostic, Result } from "./errors.js";

/** Validate a config object; returns every problem at once (empty when valid). */
export function validate(config: unknown, file = "llm.config.ts"): Diagnostic[] {
  const result = resolveChecked({ file, data: config });
  return result.ok ? [] : [...result.error.diagnostics];
}

/** Render every generated file in memory (no disk): secrets are not part of the result. */
export function generate(config: unknown, options: ResolveOptions & { file?: string } = {}): Result<Generated> {
  const { file = "llm.config.ts", ...rest } = options;
  return generateFromSource({ file, data: config }, rest);
}
