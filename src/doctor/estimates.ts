// Rough sizes for `llm doctor`'s disk and RAM checks. Only the order of magnitude matters: the
// checks warn, they never block, and every number is shown as "about".

import { GIB } from "../util/bytes.js";

/** Models whose tag names no parameter count. Sizes of Ollama's default builds. */
const NAMED_MODEL_GIB: Record<string, number> = {
  "all-minilm": 0.05,
  "mxbai-embed-large": 0.7,
  "nomic-embed-text": 0.3,
};

/** Ollama's default builds are 4-bit: about 0.6 GB per billion parameters, plus overhead. */
const GIB_PER_BILLION_PARAMS = 0.6;

/** Bytes a model takes on disk (and roughly in memory); null when its size cannot be told. */
export function modelBytes(name: string): number | null {
  const base = name.replace(/:.*$/, "").replace(/^.*\//, "");
  const named = NAMED_MODEL_GIB[base];
  if (named !== undefined) return named * GIB;
  const params = /:(?:[a-z]+-)?(\d+(?:\.\d+)?)b(?:\b|-|_)/i.exec(name);
  return params ? (Number(params[1]) * GIB_PER_BILLION_PARAMS + 0.2) * GIB : null;
}

/** Unpacked image sizes by repository; ROCm builds carry the whole ROCm runtime. */
export function imageBytes(image: string): number {
  if (/^ollama\/ollama:.*-rocm/.test(image)) return 8 * GIB;
  if (image.startsWith("ollama/ollama:")) return 3.5 * GIB;
  if (/librechat/.test(image)) return 1.5 * GIB;
  if (image.startsWith("mongo:")) return 0.8 * GIB;
  if (/meilisearch/.test(image)) return 0.2 * GIB;
  return 1 * GIB;
}

/** Data the databases and uploads grow into before anyone notices. */
export const DATA_HEADROOM_BYTES = 2 * GIB;
