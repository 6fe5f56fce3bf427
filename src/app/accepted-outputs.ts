// Which rendered files this build already parsed back and accepted, remembered in the user's cache
// folder so a run that renders the same bytes again skips reading them back (js-yaml over the
// compose file is the larger part of a no-change `llm generate`). An entry is the SHA-256 of the
// file's syntax and text, kept per build of the CLI bundle (its own SHA-256): the parse-back is
// deterministic, so the same bytes through the same build are accepted again, and a new build
// starts from nothing. A cache that cannot be read or written only costs speed.
import { readFileSync } from "node:fs";
import type { OutputCheck } from "../pipeline.js";
import { syntaxProblems } from "../outputs/check.js";
import { writeCacheFile } from "../util/cache-folder.js";
import { path } from "../util/path.js";
import { sha256Hex } from "../util/sha256.js";

/** Enough for every file of a few stacks; the oldest entries go first. */
const ENTRIES = 256;
/** Builds kept side by side (an upgrade, a second checkout). */
const BUILDS = 4;

interface Store {
  file: string;
  accepted: Set<string>;
  added: string[];
}

let store: Store | undefined;
/** Files this process read back, for LLM_TRACE. */
let parsed = 0;

export const parsedBackSoFar = (): number => parsed;

/** Set once by the process entry: the cache folder and the build's id. Without both, every file
 * is parsed back. */
export function rememberAcceptedOutputs(cacheDir: string | undefined, buildId: string | undefined): void {
  if (!cacheDir || !buildId) {
    store = undefined;
    return;
  }
  const file = path.join(cacheDir, "accepted", `${buildId.slice(0, 32)}.txt`);
  store = { file, accepted: new Set(readLines(file)), added: [] };
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => /^[0-9a-f]{64}$/.test(line));
  } catch {
    return [];
  }
}

/** The parse-back, skipped for bytes this build accepted before. */
export const acceptedCheck: OutputCheck = (output, text) => {
  const key = store ? sha256Hex(`${output.syntax}\0${text}`) : "";
  if (store?.accepted.has(key)) return [];
  parsed++;
  const problems = syntaxProblems(output, text);
  if (!store) return problems;
  if (problems.length === 0) {
    store.accepted.add(key);
    store.added.push(key);
  }
  return problems;
};

/** Writes what this run accepted; called after a command that succeeded. */
export function saveAcceptedOutputs(): void {
  if (!store || store.added.length === 0) return;
  const lines = [...store.accepted].slice(-ENTRIES);
  try {
    writeCacheFile(path.dirname(store.file), store.file, `${lines.join("\n")}\n`, ".txt", BUILDS);
  } catch {
    // Only speed is lost.
  }
  store.added = [];
}
