// The managed block of .gitattributes: the manifest's hashes change with every generated file,
// whose own diff says what changed, so git shows the manifest as one line ("Binary files …
// differ") in `git diff`, `git log -p` and reviews, and GitHub folds it as generated.
// `git diff --text` still shows it whole.
import { MANIFEST_FILE } from "../layout.js";
import { BLOCK_END, BLOCK_START } from "./gitignore.js";
import type { OutputDefinition } from "./types.js";

export const gitattributes: OutputDefinition = {
  path: ".gitattributes",
  template: "gitattributes",
  syntax: "text",
  targets: "shared",
  applies: () => true,
  managedBlock: true,
  view: () => ({ start: BLOCK_START, end: BLOCK_END, manifest: MANIFEST_FILE }),
};
