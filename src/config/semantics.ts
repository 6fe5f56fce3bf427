// Rules the JSON Schema cannot express: relations between values. Rules that need to know the
// images or the models (stack/rules.ts) and the modules' rules (modules/registry.ts) are passed in.
import type { Diagnostic } from "../errors.js";
import type { Merged } from "./merge.js";
import type { LlmConfig } from "./types.js";

export function checkSemantics(config: LlmConfig, merged: Merged, fileOf: (path: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: string, message: string, hint?: string) => out.push({ file: fileOf(path), path, message, ...(hint ? { hint } : {}) });

  const gpu = config.ollama?.gpu;
  if (gpu?.count !== undefined && gpu.deviceIds !== undefined) {
    at(
      "ollama.gpu.deviceIds",
      "set either ollama.gpu.count or ollama.gpu.deviceIds, not both (Compose rejects the pair)",
      "remove one of them (null deletes a preset's count)",
    );
  }
  if (gpu?.vendor !== "nvidia") {
    if (gpu?.count !== undefined)
      at(
        "ollama.gpu.count",
        `GPU count applies to NVIDIA only, but ollama.gpu.vendor is ${JSON.stringify(gpu?.vendor)}`,
        "remove ollama.gpu.count or use the nvidia preset",
      );
    if (gpu?.deviceIds !== undefined)
      at(
        "ollama.gpu.deviceIds",
        `GPU device ids apply to NVIDIA only, but ollama.gpu.vendor is ${JSON.stringify(gpu?.vendor)}`,
        "remove ollama.gpu.deviceIds or use the nvidia preset",
      );
  }

  const fromDefaults = (path: string) => merged.provenance.get(path)?.source === "defaults";
  const seen = new Map<string, number>();
  (config.librechat?.endpoints ?? []).forEach((endpoint, index) => {
    const key = endpoint.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined)
      at(
        `librechat.endpoints[${index}].name`,
        `duplicate endpoint name ${JSON.stringify(endpoint.name)}, already used by librechat.endpoints[${first}]`,
        "give each endpoint its own name",
      );
    else seen.set(key, index);
  });

  // Ollama 0.30+ hands the KV cache type to llama-server, which refuses a quantized V cache without
  // flash attention: the model fails to load (before, Ollama kept f16 without a word).
  const ollama = config.ollama;
  if (ollama?.kvCacheType && ollama.kvCacheType !== "f16" && ollama.flashAttention === false) {
    const blamed = fromDefaults("ollama.flashAttention") ? "ollama.kvCacheType" : "ollama.flashAttention";
    at(
      blamed,
      `ollama.kvCacheType ${JSON.stringify(ollama.kvCacheType)} needs flash attention, but ollama.flashAttention is false: Ollama then fails to load the model ("quantized V cache requires flash_attn")`,
      'set ollama.flashAttention to true or "auto", or ollama.kvCacheType to "f16"',
    );
  }

  return out;
}
