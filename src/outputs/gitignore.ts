import { PRIVATE_DIR } from "../secrets/catalog.js";
import type { OutputDefinition } from "./types.js";

export const BLOCK_START = "# >>> local-llm-stack (managed: the lines between these markers are rewritten by `llm generate`) >>>";
export const BLOCK_END = "# <<< local-llm-stack <<<";

export const gitignore: OutputDefinition = {
  path: ".gitignore",
  template: "gitignore",
  syntax: "text",
  applies: () => true,
  managedBlock: true,
  view: ({ stack }) => ({ start: BLOCK_START, end: BLOCK_END, secretsFile: stack.secretsFile, privateDir: stack.privateFiles.length > 0 ? PRIVATE_DIR : null }),
};

/** Puts `block` into `existing`, replacing an earlier block and keeping every other line. */
export function mergeManagedBlock(existing: string | null, block: string): string {
  if (!existing) return block;
  const start = existing.indexOf(BLOCK_START);
  const end = existing.indexOf(BLOCK_END, start);
  if (start >= 0 && end > start) {
    return existing.slice(0, start) + block.replace(/\n$/, "") + existing.slice(end + BLOCK_END.length);
  }
  return `${existing}${existing.endsWith("\n") ? "" : "\n"}${existing.trim() ? "\n" : ""}${block}`;
}
