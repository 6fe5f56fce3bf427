import { BACKUPS_DIR, PRIVATE_DIR, TX_DIR } from "../layout.js";
import type { Target } from "../stack/types.js";
import type { OutputDefinition } from "./types.js";

export const BLOCK_START = "# >>> local-llm-stack (managed: the lines between these markers are rewritten by `llm generate`) >>>";
export const BLOCK_END = "# <<< local-llm-stack <<<";

/** Committed files whose names the usual .gitignore templates ignore (GitHub's Node.gitignore
 * lists `.env`): re-included, since git's last matching rule wins and a deeper .gitignore
 * overrides a parent's. Only where llm writes the file: in a Kubernetes-only folder a `.env` is
 * the user's own (maybe holding CREDS_KEY, hidden by a parent's rule), and re-including it would
 * make it committable. The targets are the config's as well as the run's, so a `--target
 * kubernetes` run keeps the line a Compose run of the same config wrote. */
const COMMONLY_IGNORED: readonly { file: string; target: Target }[] = [{ file: ".env", target: "compose" }];

export const gitignore: OutputDefinition = {
  path: ".gitignore",
  template: "gitignore",
  syntax: "text",
  targets: "shared",
  applies: () => true,
  managedBlock: true,
  view: ({ stack, targets }) => ({
    start: BLOCK_START,
    end: BLOCK_END,
    secretsFile: stack.secretsFile,
    privateDir: stack.privateFiles.length > 0 ? PRIVATE_DIR : null,
    runDir: TX_DIR,
    backupsDir: BACKUPS_DIR,
    committed: COMMONLY_IGNORED.filter((entry) => targets.includes(entry.target)).map((entry) => entry.file),
  }),
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

/** The managed block inside `text` (markers included, no trailing newline), or null when absent. */
export function extractManagedBlock(text: string | null): string | null {
  if (!text) return null;
  const start = text.indexOf(BLOCK_START);
  const end = text.indexOf(BLOCK_END, start);
  return start >= 0 && end > start ? text.slice(start, end + BLOCK_END.length) : null;
}

/** `text` without its managed block (and the blank line before it); the user's lines stay. */
export function removeManagedBlock(text: string): string {
  const block = extractManagedBlock(text);
  if (block === null) return text;
  const start = text.indexOf(block);
  const before = text.slice(0, start).replace(/\n\n$/, "\n");
  const after = text.slice(start + block.length).replace(/^\n/, "");
  return before + after;
}
