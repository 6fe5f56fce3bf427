// What every run sets up before its command and settles after it: how a config module is
// evaluated, and the cache of transformed configs, kept only from a run that succeeded (a
// rejected config may hold a mistyped key or an inline secret: it leaves nothing behind).
import { configureModuleLoading, saveConfigCache, type ModuleLoading } from "../config/module-loader.js";

export function startRun(loading: ModuleLoading): void {
  configureModuleLoading(loading);
}

/** `exitCode` 0 or 1 (a difference found) is success; anything else was refused or failed. */
export function finishRun(exitCode: number): void {
  if (exitCode === 0 || exitCode === 1) saveConfigCache();
}
