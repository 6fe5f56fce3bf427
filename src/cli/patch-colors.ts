// Colors for unified diffs, as git prints them (only when the CLI's style has colors on).
import type { Style } from "./style.js";

export function colorizePatch(patch: string, s: Style): string {
  let inHeader = false;
  return patch
    .split("\n")
    .map((line) => {
      if (line.startsWith("diff --git ")) {
        inHeader = true;
        return s.bold(line);
      }
      if (line.startsWith("@@")) {
        inHeader = false;
        return s.cyan(line);
      }
      if (inHeader) return s.bold(line);
      if (line.startsWith("+")) return s.green(line);
      if (line.startsWith("-")) return s.red(line);
      if (line.startsWith("\\")) return s.dim(line);
      return line;
    })
    .join("\n");
}
