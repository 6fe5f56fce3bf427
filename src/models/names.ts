// Ollama model names as Ollama compares them: `llama3.2` is `llama3.2:latest`, the default
// registry and namespace are implied, and case does not matter (Ollama matches names with EqualFold).

const DEFAULT_REGISTRY = "registry.ollama.ai/";
const DEFAULT_NAMESPACE = "library/";

/** The form two names are compared in: `Llama3.2` and `registry.ollama.ai/library/llama3.2:latest` agree. */
export function canonicalModelName(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.startsWith(DEFAULT_REGISTRY)) n = n.slice(DEFAULT_REGISTRY.length);
  if (n.startsWith(DEFAULT_NAMESPACE)) n = n.slice(DEFAULT_NAMESPACE.length);
  // A registry host may carry a port (`host:5000/ns/model`): only a colon after the last slash is a tag.
  const tagged = n.indexOf(":", n.lastIndexOf("/") + 1) !== -1;
  return tagged ? n : `${n}:latest`;
}

export function sameModel(a: string, b: string): boolean {
  return canonicalModelName(a) === canonicalModelName(b);
}

/** The first of `names` that is the same model as `name`. */
export function findModel<T extends string>(names: readonly T[], name: string): T | undefined {
  const wanted = canonicalModelName(name);
  return names.find((candidate) => canonicalModelName(candidate) === wanted);
}
