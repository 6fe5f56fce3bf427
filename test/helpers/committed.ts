// Helpers for the committed-config tests: a generated folder, the manifest, stand-in module outputs.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sha256 } from "../../src/diff/manifest.js";
import { removeDir, runCli, workspaceWith } from "./workspace.js";

export const CONFIG = 'import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ presets: ["cpu"], models: ["llama3.2:3b"] });\n';
export const MANIFEST = ".llm/manifest.json";

/** Every file `generate` owns or writes, in the order it writes them. */
/** The core services' own env files, derived from secrets.env (gitignored; listed in the manifest without a hash). */
export const CORE_PRIVATE_FILES = ["secrets/librechat.env", "secrets/meilisearch.env", "secrets/mongodb.env"];
export const WRITTEN = ["docker-compose.yml", ".env", "librechat.yaml", ".gitignore", ".gitattributes", "secrets.env", ...CORE_PRIVATE_FILES, MANIFEST];

/** The monitoring module switched on; switching it off (CONFIG) must remove exactly these files:
 * its committed outputs and the private files derived from its secrets. */
export const MONITORING_CONFIG = CONFIG.replace("models:", "monitoring: { enabled: true }, models:");
export const MONITORING_FILES = [
  "grafana/dashboards/llm-stack.json",
  "grafana/provisioning/dashboards/local-llm-stack.yml",
  "grafana/provisioning/datasources/prometheus.yml",
  "prometheus/prometheus.yml",
];
export const MONITORING_PRIVATE_FILES = ["secrets/grafana-admin-password", "secrets/metrics-token"];

export const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");

export function manifestFiles(dir: string): Record<string, { sha256: string }> {
  return (JSON.parse(read(dir, MANIFEST)) as { files: Record<string, { sha256: string }> }).files;
}

/** As if an earlier `generate` had written `file` (say, a module's output since switched off). */
export function pretendGenerated(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
  const manifest = JSON.parse(read(dir, MANIFEST)) as { files: Record<string, unknown> };
  manifest.files[file] = { sha256: sha256(text) };
  writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `body` in a temporary folder holding `config` (removed afterwards). */
export async function inFolder(config: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = workspaceWith("llm.config.ts", config);
  try {
    await body(dir);
  } finally {
    removeDir(dir);
  }
}

/** Runs `body` in a temporary folder where `llm generate` has just run. */
export function inGeneratedFolder(body: (dir: string) => Promise<void>, config = CONFIG): Promise<void> {
  return inFolder(config, async (dir) => {
    const run = await runCli(["generate", "--quiet"], dir);
    if (run.code !== 0) throw new Error(`generate failed: ${run.stderr}`);
    await body(dir);
  });
}
