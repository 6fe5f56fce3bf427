// `llm generate` as a use case: load, resolve, render, plan secrets, compare with the folder, then
// write all-or-nothing. Every check runs before the first write, so bad input leaves the folder
// exactly as it was; files edited by hand are refused unless forced.
import { crypto } from "../util/lazy-crypto.js";
import { customRandom } from "nanoid";
import { conflicts, isChange, type FileChange } from "../diff/changes.js";
import { unifiedPatch } from "../diff/patch.js";
import { secretRedactor } from "../diff/redact.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import type { LockOptions } from "../io/lock.js";
import { commit, type RecoveryOutcome, type Transaction } from "../io/transaction.js";
import { MANIFEST_FILE, STATE_DIR, foldersOf } from "../layout.js";
import { repairFolderModes, wrongFolderModes, type ModeRepair } from "./folder-modes.js";
import type { Generated } from "../pipeline.js";
import type { RandomString } from "../secrets/store.js";
import { trace } from "../util/trace.js";
import { txDirOf, withOutputLock, writeFailed, type LockedContext } from "./output-lock.js";
import { checkDataFolders } from "./data-folders.js";
import { openWorkspace, type WorkspacePlan, type WorkspaceRequest } from "./workspace.js";
import type { Notice } from "../stack/types.js";
import type { PlannedDataMove } from "../stack/data-folders.js";

/** nanoid's rejection sampling over bytes from node:crypto's CSPRNG: nanoid's own source,
 * WebCrypto's getRandomValues, loads WebCrypto (~8 ms) for the same OpenSSL bytes. */
const randomBytesOf = (count: number) => crypto().randomFillSync(new Uint8Array(count));
export const nanoidRandom: RandomString = (alphabet, length) => customRandom(alphabet, length, randomBytesOf)();

export interface GenerateRequest extends WorkspaceRequest {
  random?: RandomString;
  /** Overwrite files edited by hand. */
  force?: boolean;
  lock?: LockOptions;
  /** `llm upgrade`: the data moves its plan's steps make once the files are written. */
  plannedDataMoves?: readonly PlannedDataMove[];
  /** The folder's lock, already held by the caller (`llm upgrade` edits the config under it). */
  heldLock?: LockedContext;
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
  /** Secrets --force moved into secrets.env from the files it replaced. */
  secretsMoved: WorkspacePlan["secretsMoved"];
  /** Lost secrets guarding data that were made anew because their data folder is empty. */
  secretsRenewed: WorkspacePlan["secretsRenewed"];
  /** --new-secret names that existed already: kept as they were. */
  secretsKept: string[];
  /** Folders of the tool's whose mode was wrong (made under another umask, or by hand). */
  folderModes: ModeRepair[];
  recovered: RecoveryOutcome;
  /** Non-empty when nothing was written because these files would lose hand edits. */
  refused: FileChange[];
  /** For each refused file, what --force would do to it (- the file now, + the generated one). */
  refusedPatches: string[];
  /** The stack's warnings and what the data folders on disk call for. */
  warnings: Notice[];
}

function transactionFor(changes: readonly FileChange[]): Transaction {
  return {
    writes: changes
      .filter((c) => (c.kind === "create" || c.kind === "update") && c.after !== null)
      .map((c) => ({ path: c.path, text: c.after ?? "", mode: c.modeAfter ?? 0o644 })),
    // A hand-edited file that is no longer generated is never removed, even with --force.
    deletes: changes.filter((c) => c.kind === "delete" && c.conflict === null).map((c) => c.path),
  };
}

export async function runGenerate(request: GenerateRequest): Promise<Result<GenerateReport>> {
  // Everything is checked before taking the lock (itself a write): a bad config in a read-only
  // folder is reported as the bad config it is.
  // --force replaces files that are not the tool's: their secrets move into secrets.env first.
  const workspace = await openWorkspace({ ...request, ...(request.force ? { moveForeignSecrets: true } : {}) });
  if (!workspace.ok) return workspace;
  const { loaded, fs, precheck, replan } = workspace.value;
  const data = await checkDataFolders(precheck.generated.stack, fs, precheck.outDir, loaded.file, request.plannedDataMoves);
  if (!data.ok) return data;

  const report = (plan: WorkspacePlan, refused: FileChange[], recovered: RecoveryOutcome, folderModes: ModeRepair[] = []): GenerateReport => {
    const { changes } = plan;
    const tx = transactionFor(changes);
    const redact = secretRedactor({ ...plan.secretValues, reveal: false });
    return {
      generated: plan.generated,
      configFile: loaded.file,
      written: refused.length > 0 ? [] : tx.writes.map((w) => w.path),
      created: refused.length > 0 ? [] : changes.filter((c) => c.kind === "create").map((c) => c.path),
      unchanged: changes.filter((c) => c.kind === "unchanged").map((c) => c.path),
      removed: refused.length > 0 ? [] : tx.deletes,
      released: refused.length > 0 ? [] : changes.filter((c) => c.kind === "delete" && c.conflict !== null).map((c) => c.path),
      secretsAdded: refused.length > 0 ? [] : plan.secretsAdded,
      secretsMoved: refused.length > 0 ? [] : plan.secretsMoved,
      secretsRenewed: refused.length > 0 ? [] : plan.secretsRenewed,
      secretsKept: plan.secretsKept,
      folderModes,
      recovered,
      refused,
      refusedPatches: refused.map((change) => unifiedPatch(change, redact)),
      warnings: [...plan.generated.stack.warnings, ...plan.unsetReferences, ...data.value],
    };
  };

  // Hand edits are refused before the lock too, unless an interrupted run may explain them; and a
  // folder that already holds every file as it would be written needs no lock at all (the lock is
  // three writes and two removals), unless an interrupted run left something to finish.
  const early = request.force ? [] : conflicts(precheck.changes);
  const nothingToWrite =
    precheck.changes.every((change) => !isChange(change)) && (await wrongFolderModes(fs, precheck.outDir, ownedFolders(precheck))).length === 0;
  if ((early.length > 0 || nothingToWrite) && (await fs.mode(txDirOf(precheck.outDir))) === null) return ok(report(precheck, early, "none"));

  const locked = (body: (context: LockedContext) => Promise<Result<GenerateReport>>) =>
    request.heldLock ? body(request.heldLock) : withOutputLock(precheck.outDir, fs, request.lock ?? {}, body);
  return locked(async ({ txDir, recovered }) => {
    const planned = await replan(request.random ?? nanoidRandom);
    if (!planned.ok) return planned;
    const refused = request.force ? [] : conflicts(planned.value.changes);
    if (refused.length > 0) return ok(report(planned.value, refused, recovered));
    const tx = transactionFor(planned.value.changes);
    if (tx.writes.length + tx.deletes.length > 0) {
      trace("locked, secrets planned");
      try {
        await commit(planned.value.outDir, txDir, tx, fs);
      } catch (error) {
        return fail(writeFailed(error, planned.value.outDir));
      }
      trace(`written (${tx.writes.length} files, ${tx.deletes.length} removed)`);
    }
    return ok(report(planned.value, refused, recovered, await repairFolderModes(fs, planned.value.outDir, ownedFolders(planned.value))));
  });
}

/** The folders the written files live in, and the tool's own: each gets its fixed mode. */
const ownedFolders = (plan: WorkspacePlan) => [STATE_DIR, ...plan.changes.filter((c) => c.kind !== "delete").flatMap((c) => foldersOf(c.path))];

/** The error for a refused run: which files, and why each would lose work. */
export function editedError(refused: readonly FileChange[]): LlmError {
  const names = refused.map((c) => c.path);
  const count = names.length;
  const removes = refused.some((c) => c.kind === "delete");
  const verb = removes ? (refused.every((c) => c.kind === "delete") ? "remove" : "overwrite or remove") : "overwrite";
  return new LlmError("OUTPUT_EDITED", `refusing to ${verb} ${count} file${count === 1 ? "" : "s"} changed outside \`llm generate\`: ${names.join(", ")}`, {
    diagnostics: refused.map((c) => ({
      file: c.path,
      path: "",
      message:
        (c.conflict === "unknown"
          ? `exists but was not written by \`llm generate\` (it is not in ${MANIFEST_FILE})`
          : `edited by hand (its sha256 no longer matches ${MANIFEST_FILE})`) +
        (c.kind === "delete" ? "; it is no longer generated: --force leaves it in place and stops tracking it" : ""),
    })),
    hint:
      "move local changes to docker-compose.override.yml (llm never touches it) or into the config, then run `llm generate`; `llm generate --force` overwrites the edits shown below" +
      // A folder LibreChat ran from: its own files are "unknown", and adopting them keeps their settings too.
      (refused.some((c) => c.conflict === "unknown")
        ? " (moving the secrets of an env file into secrets.env); for a folder LibreChat ran from, `llm init --from DIR` in a new folder adopts its settings and secrets"
        : ""),
  });
}
