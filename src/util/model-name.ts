// The form two Ollama model names are compared in. Below config/, which finds a model listed twice
// under two of its names ("x" and "x:latest"), and stack/, which merges the models modules need.

const DEFAULT_REGISTRY = "registry.ollama.ai/";
const DEFAULT_NAMESPACE = "library/";

/** The form two names are compared in, as Ollama compares them: `llama3.2` is `llama3.2:latest`,
 * the default registry and namespace are implied, case does not matter (EqualFold). */
export function canonicalModelName(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.startsWith(DEFAULT_REGISTRY)) n = n.slice(DEFAULT_REGISTRY.length);
  if (n.startsWith(DEFAULT_NAMESPACE)) n = n.slice(DEFAULT_NAMESPACE.length);
  // A registry host may carry a port (`host:5000/ns/model`): only a colon after the last slash is a tag.
  const tagged = n.indexOf(":", n.lastIndexOf("/") + 1) !== -1;
  return tagged ? n : `${n}:latest`;
}
