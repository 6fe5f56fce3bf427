// `llm generate` as a use case: load, resolve, render, plan secrets, compare with the folder, then
// write all-or-nothing. Every check runs before the first write, so bad input leaves the folder
// exactly as it was; files edited by hand are refused unless forced.
import { customAlphabet } from "nanoid";
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { conflicts, type FileChange } from "../diff/changes.js";
import { secretRedactor, type Redactor } from "../diff/redact.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { nodeFs, type WriterFs } from "../io/fs.js";
import type { LockOptions } from "../io/lock.js";
import { commit, type RecoveryOutcome, type Transaction } from "../io/transaction.js";
import { MANIFEST_FILE } from "../layout.js";
import type { OutputDefinition } from "../outputs/types.js";
import type { Generated } from "../pipeline.js";
import type { RandomString } from "../secrets/store.js";
import { withOutputLock, writeFailed } from "./output-lock.js";
import { planWorkspace } from "./workspace.js";

export const nanoidRandom: RandomString = (alphabet, length) => customAlphabet(alphabet, length)();

/** For plans that are never written: a secret it would create is a constant, not a random draw. */
export const noRandom: RandomString = (alphabet, length) => (alphabet[0] ?? "0").repeat(length);

export interface GenerateRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  random?: RandomString;
  /** Overwrite files edited by hand. */
  force?: boolean;
  fs?: WriterFs;
  outputs?: readonly OutputDefinition[];
  lock?: LockOptions;
}

export interface GenerateReport {
  generated: Generated;
  configFile: string;
  written: string[];
  /** The written files that did not exist before (a subset of `written`). */
  created: string[];
  unchanged: string[];
  removed: string[];
  /** Edited by hand and no longer generated: left in place (with --force) and no longer tracked. */
  released: string[];
  secretsAdded: string[];
  recovered: RecoveryOutcome;
  /** Non-empty when nothing was written because these files would lose hand edits. */
  refused: FileChange[];
  redact: Redactor;
}

export function transactionFor(changes: readonly FileChange[]): Transaction {
  return {
    writes: changes.filter((c) => (c.kind === "create" || c.kind === "update") && c.after !== null).map((c) => ({ path: c.path, text: c.after ?? "", mode: c.modeAfter ?? 0o644 })),
    // A hand-edited file that is no longer generated is never removed, even with --force.
    deletes: changes.filter((c) => c.kind === "delete" && c.conflict === null).map((c) => c.path),
  };
}

export async function runGenerate(request: GenerateRequest): Promise<Result<GenerateReport>> {
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (!loaded.ok) return loaded;
  const fs = request.fs ?? nodeFs;
  const planRequest = { ...(request.options ? { options: request.options } : {}), ...(request.outputs ? { outputs: request.outputs } : {}), fs };

  // Checked before taking the lock (itself a write): a bad config in a read-only folder is
  // reported as the bad config it is.
  const precheck = await planWorkspace(loaded.value, { ...planRequest, random: noRandom });
  if (!precheck.ok) return precheck;

  return withOutputLock(precheck.value.outDir, fs, request.lock ?? {}, async ({ txDir, recovered }) => {
    const planned = await planWorkspace(loaded.value, { ...planRequest, random: request.random ?? nanoidRandom }, precheck.value);
    if (!planned.ok) return planned;
    const { changes, outDir } = planned.value;
    const refused = request.force ? [] : conflicts(changes);
    const tx = transactionFor(changes);
    const report: GenerateReport = {
      generated: planned.value.generated,
      configFile: loaded.value.file,
      written: refused.length > 0 ? [] : tx.writes.map((w) => w.path),
      created: refused.length > 0 ? [] : changes.filter((c) => c.kind === "create").map((c) => c.path),
      unchanged: changes.filter((c) => c.kind === "unchanged").map((c) => c.path),
      removed: refused.length > 0 ? [] : tx.deletes,
      released: refused.length > 0 ? [] : changes.filter((c) => c.kind === "delete" && c.conflict !== null).map((c) => c.path),
      secretsAdded: refused.length > 0 ? [] : planned.value.secretsAdded,
      recovered,
      refused,
      redact: secretRedactor({ ...planned.value.secretValues, reveal: false }),
    };
    if (refused.length > 0 || tx.writes.length + tx.deletes.length === 0) return ok(report);
    try {
      await commit(outDir, txDir, tx, fs);
    } catch (error) {
      return fail(writeFailed(error, outDir));
    }
    return ok(report);
  });
}

/** The error for a refused run: which files, and why each would lose work. */
export function editedError(refused: readonly FileChange[]): LlmError {
  const names = refused.map((c) => c.path);
  const count = names.length;
  return new LlmError("OUTPUT_EDITED", `${count} generated file${count === 1 ? " was" : "s were"} changed by hand since \`llm generate\` wrote ${count === 1 ? "it" : "them"}: ${names.join(", ")}`, {
    diagnostics: refused.map((c) => ({
      file: c.path,
      path: "",
      message:
        (c.conflict === "unknown" ? `exists but was not written by \`llm generate\` (it is not in ${MANIFEST_FILE})` : `edited by hand (its sha256 no longer matches ${MANIFEST_FILE})`) +
        (c.kind === "delete" ? "; it is no longer generated: --force leaves it in place and stops tracking it" : ""),
    })),
    hint: "move local changes to docker-compose.override.yml (llm never touches it) or into the config, then run `llm generate`; `llm generate --force` overwrites the edits shown below",
  });
}
