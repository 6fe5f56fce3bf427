// Config rules that need what the stack knows: which MongoDB images need AVX, which models are
// embedding models. Passed into resolveConfig (pipeline.ts), so config/ stays below stack/.
import type { ConfigRule } from "../config/resolve.js";
import type { Diagnostic } from "../errors.js";
import { mongoMajorVersion } from "./images.js";
import { declaredModels } from "./models.js";
import { didYouMean } from "../util/did-you-mean.js";
import { defaultsLayer } from "../config/presets.js";

export const stackRules: ConfigRule = (config, merged, fileOf) => {
  const out: Diagnostic[] = [];
  const at = (path: string, message: string, hint: string) => out.push({ file: fileOf(path), path, message, hint });

  const mongo = config.mongodb;
  const imageFromDefaults = merged.provenance.get("mongodb.image")?.source === "defaults";
  if (mongo.avx === false && !imageFromDefaults && mongo.image && (mongoMajorVersion(mongo.image) ?? 0) >= 5) {
    at(
      "mongodb.image",
      `${mongo.image} needs a CPU with AVX, but mongodb.avx is false`,
      'use a 4.4 image such as "mongo:4.4", or remove mongodb.image to get it automatically',
    );
  }

  // A pod asks for a number of GPUs; "every GPU of the host" means nothing on a cluster.
  if (config.targets.includes("kubernetes") && config.ollama.gpu.vendor === "nvidia" && config.ollama.gpu.count === "all" && !config.ollama.gpu.deviceIds) {
    at(
      "ollama.gpu.count",
      'ollama.gpu.count "all" has no meaning on Kubernetes: each Ollama pod asks for a number of GPUs (nvidia.com/gpu), which the device plugin hands out',
      "set ollama.gpu.count to the GPUs each Ollama pod gets, e.g. 1",
    );
  }

  // The schema's pattern for `name` (a Compose project) allows "_", a Kubernetes name does not.
  if (config.targets.includes("kubernetes") && config.kubernetes.namespace === undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(config.name)) {
    at(
      "name",
      `the stack's name ${JSON.stringify(config.name)} is its Kubernetes namespace too, and a namespace takes lowercase letters, digits and "-" only`,
      `set kubernetes.namespace to a name such as ${JSON.stringify(config.name.replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "llm-stack")}`,
    );
  }
  // Every claim has a default size: a key none of them has is a typo that would size nothing.
  const known = Object.keys((defaultsLayer().values as { kubernetes: { storage: { sizes: Record<string, string> } } }).kubernetes.storage.sizes);
  for (const claim of Object.keys(config.kubernetes.storage.sizes)) {
    if (known.includes(claim)) continue;
    const suggestion = didYouMean(claim, known);
    at(
      `kubernetes.storage.sizes.${claim}`,
      `no volume claim is named ${JSON.stringify(claim)}`,
      suggestion ? `did you mean ${JSON.stringify(suggestion)}?` : `the claims are ${known.join(", ")}`,
    );
  }

  const titleModel = config.librechat.titleModel;
  if (titleModel && titleModel !== "current_model") {
    const declared = declaredModels(config).find((m) => m.name === titleModel);
    if (declared?.kind === "embedding")
      at(
        "librechat.titleModel",
        `${titleModel} is an embedding model: it cannot write chat titles (Ollama answers "does not support chat")`,
        'use a chat model from models, or "current_model"',
      );
  }
  return out;
};
