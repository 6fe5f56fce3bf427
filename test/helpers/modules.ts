// The eight on/off combinations of the three optional modules, as configs and generated folders.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, tempDir } from "./workspace.js";

export interface Combination {
  monitoring: boolean;
  security: boolean;
  scaling: boolean;
}

export const COMBINATIONS: Combination[] = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => ({
  monitoring: (bits & 1) !== 0,
  security: (bits & 2) !== 0,
  scaling: (bits & 4) !== 0,
}));

export function label(combination: Combination): string {
  const on = (Object.keys(combination) as (keyof Combination)[]).filter((name) => combination[name]);
  return on.length > 0 ? on.join("+") : "no modules";
}

export function configFor(combination: Combination): Record<string, unknown> {
  return {
    presets: ["cpu"],
    models: ["llama3.2:3b"],
    monitoring: { enabled: combination.monitoring },
    security: { enabled: combination.security, domain: "chat.example.com", email: "ops@example.com" },
    scaling: { enabled: combination.scaling, librechatReplicas: 2 },
  };
}

/** A folder holding the combination's config and everything `llm generate` writes for it. */
export async function generatedFolder(combination: Combination): Promise<string> {
  const dir = tempDir("llm-modules-");
  writeFileSync(path.join(dir, "llm.config.json"), `${JSON.stringify(configFor(combination), null, 2)}\n`);
  const run = await runCli(["generate", "--quiet"], dir);
  if (run.code !== 0) throw new Error(`${label(combination)}: ${run.stderr}`);
  return dir;
}
