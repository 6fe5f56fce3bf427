// `llm doctor` as a use case: resolve the config (or the defaults when there is none yet), then
// check the host against the stack it describes.
import { path } from "../util/path.js";
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { type Result, ok } from "../errors.js";
import type { HostProbe } from "../host/types.js";
import { readText } from "../io/files.js";
import { generateFromSource } from "../pipeline.js";
import { runChecks, type CheckResult } from "./checks.js";

export interface DoctorReport {
  /** null when no config exists: the built-in defaults were checked. */
  configFile: string | null;
  presets: string[];
  checks: CheckResult[];
}

export async function runDoctor(request: { cwd: string; configPath?: string; options?: ResolveOptions; host: HostProbe; today?: string }): Promise<Result<DoctorReport>> {
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (!loaded.ok && (loaded.error.code !== "CONFIG_NOT_FOUND" || request.configPath)) return loaded;
  const source = loaded.ok ? loaded.value : { file: "defaults", data: {} };
  const generated = generateFromSource(source, request.options);
  if (!generated.ok) return generated;
  const outDir = loaded.ok ? path.dirname(loaded.value.absolutePath) : request.cwd;
  const composeFileExists = (await readText(path.join(outDir, "docker-compose.yml"))) !== null;
  const checks = await runChecks({ config: generated.value.resolved.config, stack: generated.value.stack, outDir, composeFileExists, host: request.host, today: request.today ?? new Date().toISOString().slice(0, 10) });
  if (!loaded.ok) checks.unshift({ id: "config", status: "warn", message: "no llm.config.* here: checked the built-in defaults", fix: "run llm init" });
  return ok({ configFile: loaded.ok ? loaded.value.file : null, presets: generated.value.resolved.presets, checks });
}
