// The config file `llm init` writes, in TypeScript, JSON or YAML. JSON and YAML point editors at
// the JSON Schema shipped in the package; TypeScript gets the same help from defineConfig's types.
import { SCHEMA_PATH, type InitFormat } from "../layout.js";
import { renderTemplate } from "../render/engine.js";
import type { Suggestion } from "./suggest.js";

export function defaultFileName(format: InitFormat): string {
  return `llm.config.${format}`;
}

export function formatOf(file: string): InitFormat | undefined {
  if (/\.(ts|mts)$/.test(file)) return "ts";
  if (file.endsWith(".json")) return "json";
  if (/\.ya?ml$/.test(file)) return "yaml";
  return undefined;
}

/** The config's data, as loaders will read it back. */
export function initData(suggestion: Suggestion, format: InitFormat, schemaPath: string = SCHEMA_PATH): Record<string, unknown> {
  return {
    ...(format === "ts" ? {} : { $schema: schemaPath }),
    presets: suggestion.presets,
    models: suggestion.models,
    ...(suggestion.mongodbAvx === false ? { mongodb: { avx: false } } : {}),
  };
}

/** `schemaPath`: the `$schema` of a JSON or YAML config, relative to the config's folder. */
export function renderInitConfig(suggestion: Suggestion, format: InitFormat, schemaPath: string = SCHEMA_PATH): string {
  if (format === "json") return `${JSON.stringify(initData(suggestion, format, schemaPath), null, 2)}\n`;
  const view = {
    reasons: suggestion.reasons,
    presets: suggestion.presets,
    models: suggestion.models,
    noAvx: suggestion.mongodbAvx === false,
    schemaPath,
  };
  const text = renderTemplate(format === "ts" ? "init-config.ts" : "init-config.yaml", view);
  return `${text.replace(/\n{3,}/g, "\n\n").replace(/\n+$/, "")}\n`;
}
