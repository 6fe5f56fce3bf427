// What every run sets up before its command and settles after it: how a config module is
// evaluated, and the caches in the user's cache folder (transformed configs, rendered files
// already parsed back), kept only from a run that succeeded (a rejected config may hold a
// mistyped key or an inline secret: it leaves nothing behind).
import { configTimeLimitFrom, setConfigTimeLimit } from "../config/load.js";
import { configureModuleLoading, saveConfigCache, type ModuleLoading } from "../config/module-loader.js";
import { type Result, ok } from "../errors.js";
import { rememberAcceptedOutputs, saveAcceptedOutputs } from "./accepted-outputs.js";

export interface RunSetup extends ModuleLoading {
  /** The CLI bundle's SHA-256: what this build accepted is remembered under it. */
  buildId?: string | undefined;
}

export function startRun(setup: RunSetup): void {
  const { buildId, ...loading } = setup;
  configureModuleLoading(loading);
  rememberAcceptedOutputs(setup.cacheDir, buildId);
}

/** The time limit on loading a config: LLM_CONFIG_TIMEOUT seconds, else the default (30 s). Set
 * per command, since a test runs many in one process with different environments. */
export function applyConfigTimeLimit(env: Record<string, string | undefined>): Result<void> {
  const limit = configTimeLimitFrom(env);
  if (!limit.ok) return limit;
  setConfigTimeLimit(limit.value);
  return ok(undefined);
}

/** `exitCode` 0 or 1 (a difference found) is success; anything else was refused or failed. */
export function finishRun(exitCode: number): void {
  if (exitCode !== 0 && exitCode !== 1) return;
  saveConfigCache();
  saveAcceptedOutputs();
}
