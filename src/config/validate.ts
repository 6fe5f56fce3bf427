import { validateConfig, validateLayer } from "../generated/validators.js";
import type { Diagnostic } from "../errors.js";
import { diagnose } from "./diagnose.js";

/** Checks one layer (a config file or a preset): every key known, every value well-formed, null allowed. */
export function checkLayer(data: unknown, file: string): Diagnostic[] {
  if (validateLayer(data)) return [];
  return diagnose(validateLayer.errors, data, file);
}

/** Checks the merged result, which must be a complete config without nulls. */
export function checkResolved(data: unknown, fileOf: (path: string) => string): Diagnostic[] {
  if (validateConfig(data)) return [];
  return diagnose(validateConfig.errors, data, "").map((d) => ({ ...d, file: fileOf(d.path) }));
}
