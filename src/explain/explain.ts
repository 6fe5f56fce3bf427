// Every resolved value with the layer it came from: defaults, a preset, the user's file or --set.
import type { Resolution } from "../config/resolve.js";
import { leaves } from "../config/leaves.js";
import { layerOf } from "../config/merge.js";
import { isAtOrBelow } from "../util/json-path.js";
import type { Stack } from "../stack/types.js";

export interface ExplainedValue {
  path: string;
  value: unknown;
  /** "defaults", "preset nvidia", the config file's name, or "--set". */
  source: string;
  /** The variable this value becomes in its container, as the built stack sets it ("OLLAMA_NUM_PARALLEL=4"). */
  container?: string;
}

/** Typed keys the stack turns into one variable of a container (the env maps cannot set these:
 * stack/env-rules.ts), so what is shown is what the container gets. */
const VARIABLES: Record<string, ["ollama" | "librechat", string]> = {
  "ollama.numParallel": ["ollama", "OLLAMA_NUM_PARALLEL"],
  "ollama.contextLength": ["ollama", "OLLAMA_CONTEXT_LENGTH"],
  "ollama.keepAlive": ["ollama", "OLLAMA_KEEP_ALIVE"],
  "ollama.kvCacheType": ["ollama", "OLLAMA_KV_CACHE_TYPE"],
  "ollama.maxLoadedModels": ["ollama", "OLLAMA_MAX_LOADED_MODELS"],
  "ollama.flashAttention": ["ollama", "OLLAMA_FLASH_ATTENTION"],
  "librechat.title": ["librechat", "APP_TITLE"],
  "librechat.domain": ["librechat", "DOMAIN_CLIENT"],
  "librechat.search": ["librechat", "SEARCH"],
  "librechat.registration": ["librechat", "ALLOW_REGISTRATION"],
};

/** Each explained path's variable in its container, from the built stack: Ollama's environment
 * (the first instance, with scaling) and LibreChat's .env. */
function containerValue(stack: Stack, path: string): string | undefined {
  const mapped = VARIABLES[path];
  const fromMap = /^(ollama|librechat)\.env\.(.+)$/.exec(path);
  const [service, name] = mapped ?? (fromMap ? [fromMap[1] as "ollama" | "librechat", fromMap[2]!] : [undefined, undefined]);
  if (!service || !name) return undefined;
  const env: [string, string][] =
    service === "librechat"
      ? stack.appEnv.map((entry) => [entry.key, entry.value])
      : (stack.services.find((s) => s.name === "ollama" || /^ollama-\d+$/.test(s.name))?.environment ?? []);
  const found = env.find(([key]) => key === name);
  return found ? `${name}=${found[1]}` : `${name} unset`;
}

/** The values with the variable each becomes in its container. */
export function withContainerValues(values: readonly ExplainedValue[], stack: Stack): ExplainedValue[] {
  return values.map((v) => {
    const container = containerValue(stack, v.path);
    return container === undefined ? v : { ...v, container };
  });
}

/** `presetsSource` is where the presets list came from: the file, or --set. */
export function explain(resolved: Resolution, configFile: string, presetsSource = configFile): ExplainedValue[] {
  return leaves(resolved.merged.value).map(({ path, value }) => ({
    path,
    value,
    // `presets` is taken from the file (or --set) before merging, so no layer records it.
    source: path === "presets" ? presetsSource : (layerOf(resolved.merged, path)?.source ?? configFile),
  }));
}

/** The layers in merge order, later wins. */
export function layerNames(resolved: Resolution, configFile: string, overridden: boolean): string[] {
  return [
    "defaults",
    ...resolved.presets.map((p) => `preset ${p}`),
    configFile,
    ...(overridden ? ["--set"] : []),
    ...(resolved.onlyTarget ? ["--target"] : []),
  ];
}

/** Values at or below `prefix` (e.g. "ollama" or "ollama.gpu.vendor"). */
export function underPath(values: readonly ExplainedValue[], prefix: string): ExplainedValue[] {
  return values.filter((v) => isAtOrBelow(v.path, prefix));
}
