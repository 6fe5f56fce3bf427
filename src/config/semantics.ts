// Rules the JSON Schema cannot express: relations between values.
import type { Diagnostic } from "../errors.js";
import type { Merged } from "../presets/merge.js";
import { mongoMajorVersion } from "../stack/images.js";
import type { LlmConfig } from "./types.js";

export function checkSemantics(config: LlmConfig, merged: Merged, fileOf: (path: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: string, message: string, hint?: string) => out.push({ file: fileOf(path), path, message, ...(hint ? { hint } : {}) });

  const gpu = config.ollama?.gpu;
  if (gpu?.count !== undefined && gpu.deviceIds !== undefined) {
    at("ollama.gpu.deviceIds", "set either ollama.gpu.count or ollama.gpu.deviceIds, not both (Compose rejects the pair)", "remove one of them (null deletes a preset's count)");
  }
  if (gpu?.vendor !== "nvidia") {
    if (gpu?.count !== undefined) at("ollama.gpu.count", `GPU count applies to NVIDIA only, but ollama.gpu.vendor is ${JSON.stringify(gpu?.vendor)}`, "remove ollama.gpu.count or use the nvidia preset");
    if (gpu?.deviceIds !== undefined) at("ollama.gpu.deviceIds", `GPU device ids apply to NVIDIA only, but ollama.gpu.vendor is ${JSON.stringify(gpu?.vendor)}`, "remove ollama.gpu.deviceIds or use the nvidia preset");
  }

  const ports = new Map<number, string>();
  const claim = (path: string, port: number | undefined) => {
    if (port === undefined) return;
    const other = ports.get(port);
    if (other) at(path, `port ${port} is already used by ${other}`, `choose another port for ${path}`);
    else ports.set(port, path);
  };
  claim("librechat.port", config.librechat?.port);
  if (config.ollama?.publish) claim("ollama.port", config.ollama?.port);

  const seen = new Map<string, number>();
  (config.librechat?.endpoints ?? []).forEach((endpoint, index) => {
    const key = endpoint.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) at(`librechat.endpoints[${index}].name`, `duplicate endpoint name ${JSON.stringify(endpoint.name)}, already used by librechat.endpoints[${first}]`, "give each endpoint its own name");
    else seen.set(key, index);
  });

  const mongo = config.mongodb;
  const imageFromDefaults = merged.provenance.get("mongodb.image")?.source === "defaults";
  if (mongo?.avx === false && !imageFromDefaults && mongo.image && (mongoMajorVersion(mongo.image) ?? 0) >= 5) {
    at("mongodb.image", `${mongo.image} needs a CPU with AVX, but mongodb.avx is false`, "use a 4.4 image such as \"mongo:4.4\", or remove mongodb.image to get it automatically");
  }
  return out;
}
