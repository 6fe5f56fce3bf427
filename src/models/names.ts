// Ollama model names as Ollama compares them: `llama3.2` is `llama3.2:latest`, the default
// registry and namespace are implied, and case does not matter (Ollama matches names with EqualFold).
// The canonical form lives in stack/models.ts, where the stack merges the models modules need.

import { canonicalModelName } from "../stack/models.js";

export { canonicalModelName };

export function sameModel(a: string, b: string): boolean {
  return canonicalModelName(a) === canonicalModelName(b);
}

/** The first of `names` that is the same model as `name`. */
export function findModel<T extends string>(names: readonly T[], name: string): T | undefined {
  const wanted = canonicalModelName(name);
  return names.find((candidate) => canonicalModelName(candidate) === wanted);
}
