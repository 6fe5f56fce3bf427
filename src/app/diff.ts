// `llm diff`: what `generate` would change, as one unified diff per file, secrets redacted.
// Reads only, except that it first finishes a run that was interrupted (so it never shows half
// of one).
import { isChange, type ChangeKind, type FileRole, type Ownership } from "../diff/changes.js";
import { unifiedPatch } from "../diff/patch.js";
import { secretRedactor } from "../diff/redact.js";
import { type Result, ok } from "../errors.js";
import type { LockOptions } from "../io/lock.js";
import type { RecoveryOutcome } from "../io/transaction.js";
import type { Generated } from "../pipeline.js";
import { recoverIfInterrupted } from "./output-lock.js";
import { noRandom, openWorkspace, type WorkspaceRequest } from "./workspace.js";

export interface DiffRequest extends WorkspaceRequest {
  /** Print secret values instead of `<redacted>`. */
  showSecrets?: boolean;
  lock?: LockOptions;
}

interface FileDiff {
  path: string;
  kind: Exclude<ChangeKind, "unchanged">;
  role: FileRole;
  conflict: Ownership | null;
  patch: string;
}

export interface DiffReport {
  configFile: string;
  generated: Generated;
  files: FileDiff[];
  recovered: RecoveryOutcome;
}

export async function runDiff(request: DiffRequest): Promise<Result<DiffReport>> {
  // Validate before recovering, which may write.
  const workspace = await openWorkspace(request);
  if (!workspace.ok) return workspace;
  const { loaded, fs, precheck, replan } = workspace.value;
  const recovered = await recoverIfInterrupted(precheck.outDir, fs, request.lock);
  if (!recovered.ok) return recovered;
  // A secret generate would create is shown as a placeholder: its value is drawn only when written.
  const plan = recovered.value === "none" ? ok(precheck) : await replan(noRandom);
  if (!plan.ok) return plan;
  const redact = secretRedactor({ ...plan.value.secretValues, reveal: request.showSecrets === true });
  const files = plan.value.changes.filter(isChange).map((change) => ({
    path: change.path,
    kind: change.kind as FileDiff["kind"],
    role: change.role,
    conflict: change.conflict,
    patch: unifiedPatch(change, redact),
  }));
  return ok({ configFile: loaded.file, generated: plan.value.generated, files, recovered: recovered.value });
}
