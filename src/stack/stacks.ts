// What the stacks of one run share when it covers several targets: one secrets.env, and the files
// in secrets/ derived from it, each read by the union of the services that read it on any target.
import { InternalError } from "../errors.js";
import { byName } from "./helpers.js";
import type { SecretSpec } from "./secret-specs.js";
import type { PrivateFile, Stack } from "./types.js";

export function privateFilesOf(stacks: readonly Stack[]): PrivateFile[] {
  const byPath = new Map<string, PrivateFile>();
  for (const file of stacks.flatMap((stack) => stack.privateFiles)) {
    const earlier = byPath.get(file.path);
    if (!earlier) {
      byPath.set(file.path, file);
      continue;
    }
    if (JSON.stringify(earlier.content) !== JSON.stringify(file.content) || earlier.mode !== file.mode) {
      throw new InternalError(`${file.path} differs between targets`);
    }
    byPath.set(file.path, { ...earlier, readers: [...new Set([...earlier.readers, ...file.readers])].sort(byName) });
  }
  return [...byPath.values()].sort((a, b) => byName(a.path, b.path));
}

/** Every secret the run's stacks need, each once, in the first stack's order. */
export function secretSpecsOf(stacks: readonly Stack[]): SecretSpec[] {
  const specs: SecretSpec[] = [];
  for (const use of stacks.flatMap((stack) => stack.secrets)) if (!specs.some((spec) => spec.name === use.name)) specs.push(use.spec);
  return specs;
}
