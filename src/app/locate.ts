// What `llm` with no command reports about the folder it runs in: which config it would use, and
// whether `llm generate` has written its files yet (the manifest is written with every set).
import { existsSync } from "node:fs";
import { findConfigFile } from "../config/load.js";
import type { LlmError } from "../errors.js";
import { MANIFEST_FILE } from "../layout.js";
import { path } from "../util/path.js";

export type FolderState =
  | { kind: "config"; config: string; generated: boolean }
  /** No config here or above, or one that cannot be chosen (two in a folder, a folder in its place). */
  | { kind: "problem"; error: LlmError };

export function folderState(cwd: string): FolderState {
  const found = findConfigFile(cwd);
  if (!found.ok) return { kind: "problem", error: found.error };
  return { kind: "config", config: found.value.shown, generated: existsSync(path.join(path.dirname(found.value.filepath), ...MANIFEST_FILE.split("/"))) };
}
