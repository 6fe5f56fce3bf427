// Config rules that need what the stack knows: which MongoDB images need AVX, which models are
// embedding models. Passed into resolveConfig (pipeline.ts), so config/ stays below stack/.
import type { ConfigRule } from "../config/resolve.js";
import type { Diagnostic } from "../errors.js";
import { mongoMajorVersion } from "./images.js";
import { declaredModels } from "./models.js";

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
