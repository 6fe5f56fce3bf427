// Which declared models can chat. Ollama answers 400 "does not support chat" for an embedding
// model (server/routes.go, capability check), so those are pulled but never offered in LibreChat.
// Ollama reports capabilities only at run time (/api/show); offline, a model's kind comes from the
// config ({ name, kind }) or, for the embedding families of Ollama's library, from this list.
import type { ResolvedConfig } from "../config/types.js";
import { canonicalModelName } from "../util/model-name.js";

export { canonicalModelName };

type ModelKind = "chat" | "embedding";

export interface DeclaredModel {
  name: string;
  kind: ModelKind;
}

/** Embedding-only families in Ollama's library, by the name before any tag. */
const KNOWN_EMBEDDING_FAMILIES = new Set([
  "all-minilm",
  "bge-large",
  "bge-m3",
  "embeddinggemma",
  "granite-embedding",
  "mxbai-embed-large",
  "nomic-embed-text",
  "nomic-embed-text-v2-moe",
  "paraphrase-multilingual",
  "qwen3-embedding",
  "snowflake-arctic-embed",
  "snowflake-arctic-embed2",
]);

/** `nomic-embed-text:v1.5` → `nomic-embed-text`; `registry.ollama.ai/library/x:1` → `x`. */
const family = (name: string) => (name.split("/").pop() ?? name).split(":")[0]!.toLowerCase();

const isKnownEmbedding = (name: string): boolean => KNOWN_EMBEDDING_FAMILIES.has(family(name));

export function declaredModels(config: ResolvedConfig): DeclaredModel[] {
  return config.models.map((entry) =>
    typeof entry === "string"
      ? { name: entry, kind: isKnownEmbedding(entry) ? "embedding" : "chat" }
      : { name: entry.name, kind: entry.kind ?? (isKnownEmbedding(entry.name) ? "embedding" : "chat") },
  );
}

/** The declared models, then each model a switched-on module needs that is not declared already. */
export function stackModels(declared: readonly DeclaredModel[], needed: readonly DeclaredModel[]): DeclaredModel[] {
  const out = [...declared];
  for (const model of needed) if (!out.some((m) => canonicalModelName(m.name) === canonicalModelName(model.name))) out.push(model);
  return out;
}
