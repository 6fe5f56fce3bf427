// Rules the JSON Schema cannot express: relations between values.
import type { Diagnostic } from "../errors.js";
import type { Merged } from "../presets/merge.js";
import { mongoMajorVersion } from "../stack/images.js";
import { checkModules } from "./module-semantics.js";
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

  // Blame the port the user chose rather than the default it collides with.
  const fromDefaults = (path: string) => merged.provenance.get(path)?.source === "defaults";
  const claims: [string, number | undefined][] = [["librechat.port", config.librechat?.port]];
  if (config.ollama?.publish) claims.push(["ollama.port", config.ollama?.port]);
  if (config.monitoring?.enabled && !config.security?.enabled) {
    claims.push(["monitoring.prometheus.port", config.monitoring.prometheus?.port], ["monitoring.grafana.port", config.monitoring.grafana?.port]);
  }
  const byPort = new Map<number, string[]>();
  for (const [path, port] of claims) if (port !== undefined) byPort.set(port, [...(byPort.get(port) ?? []), path]);
  for (const [port, paths] of byPort) {
    if (paths.length < 2) continue;
    const blamed = paths.find((path) => !fromDefaults(path)) ?? paths[paths.length - 1]!;
    const others = paths.filter((path) => path !== blamed);
    at(blamed, `port ${port} is already used by ${others.join(", ")}`, `choose another port for ${blamed}`);
  }

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

  const mongo = config.mongodb;
  const imageFromDefaults = merged.provenance.get("mongodb.image")?.source === "defaults";
  if (mongo?.avx === false && !imageFromDefaults && mongo.image && (mongoMajorVersion(mongo.image) ?? 0) >= 5) {
    at(
      "mongodb.image",
      `${mongo.image} needs a CPU with AVX, but mongodb.avx is false`,
      'use a 4.4 image such as "mongo:4.4", or remove mongodb.image to get it automatically',
    );
  }
  out.push(...checkModules(config, merged, fileOf));
  return out;
}
