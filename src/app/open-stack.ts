// The one door to a config's stack: load the file, resolve it (presets, defaults, every rule),
// build the stack. Every command that reads a stack comes through here; those that also write the
// output folder (generate, diff, --check) go on to app/workspace.ts, which renders against it.
import { path } from "../util/path.js";
import { loadConfig, type LoadedConfig } from "../config/load.js";
import type { ConfigSource, ResolveOptions } from "../config/resolve.js";
import { type Result, ok } from "../errors.js";
import { describeStack, type Described } from "../pipeline.js";

export interface StackRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
}

export interface OpenedStack extends Described {
  loaded: LoadedConfig;
  /** The config's name for messages, relative to the working folder. */
  configFile: string;
  /** Absolute: the config's folder, where the generated files live. */
  outDir: string;
}

export async function openStack(request: StackRequest): Promise<Result<OpenedStack>> {
  return openLoaded(await loadConfig(request.cwd, request.configPath), request);
}

export type MaybeConfiguredStack = Omit<OpenedStack, "loaded"> & {
  /** null: there is no config yet and the built-in defaults were used. */
  loaded: LoadedConfig | null;
};

/** As openStack, but with no config file in the folder the built-in defaults are described (doctor
 * before `llm init`); a --config that does not exist still fails. */
export async function openStackOrDefaults(request: StackRequest): Promise<Result<MaybeConfiguredStack>> {
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (loaded.ok || loaded.error.code !== "CONFIG_NOT_FOUND" || request.configPath !== undefined) return openLoaded(loaded, request);
  const described = describe({ file: "defaults", data: {} }, request.options);
  if (!described.ok) return described;
  return ok({ ...described.value, loaded: null, outDir: request.cwd });
}

function openLoaded(loaded: Result<LoadedConfig>, request: StackRequest): Result<OpenedStack> {
  if (!loaded.ok) return loaded;
  const described = describe(loaded.value, request.options);
  if (!described.ok) return described;
  return ok({ ...described.value, loaded: loaded.value, outDir: path.dirname(loaded.value.absolutePath) });
}

function describe(source: ConfigSource, options: ResolveOptions | undefined): Result<Described & { configFile: string }> {
  const described = describeStack(source, options);
  return described.ok ? ok({ ...described.value, configFile: source.file }) : described;
}
