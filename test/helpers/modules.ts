// Every on/off combination of the optional modules in the registry (src/modules/registry.ts), as
// configs and generated folders: a module added there joins the matrix with its own `example`.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { MODULES } from "../../src/modules/registry.js";
import { mergeLayers } from "../../src/config/merge.js";
import { runCli, tempDir } from "./workspace.js";

/** Module name → switched on. */
export type Combination = Record<string, boolean>;

const MODULE_NAMES: readonly string[] = MODULES.map((m) => m.name);

export const COMBINATIONS: Combination[] = Array.from({ length: 2 ** MODULE_NAMES.length }, (_, bits) =>
  Object.fromEntries(MODULE_NAMES.map((name, i) => [name, (bits & (1 << i)) !== 0])),
);

export function label(combination: Combination): string {
  const on = MODULE_NAMES.filter((name) => combination[name]);
  return on.length > 0 ? on.join("+") : "no modules";
}

/** A TypeScript config with every module on, as a user writes it. */
export const ALL_MODULES_TS = `import { defineConfig } from "local-llm-stack";
export default defineConfig({
  presets: ["cpu"],
  monitoring: { enabled: true },
  security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" },
  scaling: { enabled: true },
});
`;

/** The base config with each switched-on module's own `example` merged over it. */
export function configFor(combination: Combination): Record<string, unknown> {
  const layers = [
    { source: "base", file: "base", values: { presets: ["cpu"], models: ["llama3.2:3b"] } as Record<string, unknown> },
    ...MODULES.filter((m) => combination[m.name]).map((m) => ({ source: m.name, file: m.name, values: m.example as Record<string, unknown> })),
  ];
  return mergeLayers(layers).value;
}

/** A folder holding the combination's config and everything `llm generate` writes for it. */
export async function generatedFolder(combination: Combination): Promise<string> {
  const dir = tempDir("llm-modules-");
  writeFileSync(path.join(dir, "llm.config.json"), `${JSON.stringify(configFor(combination), null, 2)}\n`);
  const run = await runCli(["generate", "--quiet"], dir);
  if (run.code !== 0) throw new Error(`${label(combination)}: ${run.stderr}`);
  return dir;
}
