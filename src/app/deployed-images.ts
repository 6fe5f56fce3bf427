// What a generated folder says it runs: its manifest (the images it was generated with) and the
// images a run's stacks name. Read by `llm outdated`, `llm upgrade` and `llm backup`.
import { path } from "../util/path.js";
import { type Result, fail } from "../errors.js";
import { parseManifest, type Manifest } from "../diff/manifest.js";
import { readText } from "../io/files.js";
import { MANIFEST_FILE } from "../layout.js";
import type { Stack } from "../stack/types.js";
import { readFailed } from "./workspace.js";

/** Each service's image in the stacks of a run (Compose's and Kubernetes'). */
export function stackImages(stacks: readonly Stack[]): Record<string, string> {
  const images: Record<string, string> = {};
  for (const stack of stacks) for (const service of stack.services) images[service.name] ??= service.image;
  return images;
}

export async function readManifest(outDir: string): Promise<Result<Manifest | null>> {
  let text;
  try {
    text = await readText(path.join(outDir, ...MANIFEST_FILE.split("/")));
  } catch (error) {
    return fail(readFailed(error, outDir, MANIFEST_FILE));
  }
  return parseManifest(text);
}
