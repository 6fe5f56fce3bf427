// `llm diff`: what `generate` would change, as one unified diff per file, secrets redacted.
// Reads only, except that it first finishes a run that was interrupted (so it never shows half
// of one).
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { isChange, type ChangeKind, type FileRole, type Ownership } from "../diff/changes.js";
import { unifiedPatch } from "../diff/patch.js";
import { secretRedactor } from "../diff/redact.js";
import { type Result, ok } from "../errors.js";
import { nodeFs, type WriterFs } from "../io/fs.js";
import type { LockOptions } from "../io/lock.js";
import type { RecoveryOutcome } from "../io/transaction.js";
import type { OutputDefinition } from "../outputs/types.js";
import type { Generated } from "../pipeline.js";
import { noRandom } from "./generate.js";
import { recoverIfInterrupted } from "./output-lock.js";
import { planWorkspace } from "./workspace.js";

export interface DiffRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  /** Print secret values instead of `<redacted>`. */
  showSecrets?: boolean;
  fs?: WriterFs;
  outputs?: readonly OutputDefinition[];
  lock?: LockOptions;
}

export interface FileDiff {
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
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (!loaded.ok) return loaded;
  const fs = request.fs ?? nodeFs;
  const planRequest = { ...(request.options ? { options: request.options } : {}), ...(request.outputs ? { outputs: request.outputs } : {}), fs };
  // Validate before recovering, which may write.
  const precheck = await planWorkspace(loaded.value, { ...planRequest, random: noRandom });
  if (!precheck.ok) return precheck;
  const recovered = await recoverIfInterrupted(precheck.value.outDir, fs, request.lock);
  if (!recovered.ok) return recovered;
  // A secret generate would create is shown as a placeholder: its value is drawn only when written.
  const plan = recovered.value === "none" ? precheck : await planWorkspace(loaded.value, { ...planRequest, random: noRandom }, precheck.value);
  if (!plan.ok) return plan;
  const redact = secretRedactor({ ...plan.value.secretValues, reveal: request.showSecrets === true });
  const files = plan.value.changes.filter(isChange).map((change) => ({
    path: change.path,
    kind: change.kind as FileDiff["kind"],
    role: change.role,
    conflict: change.conflict,
    patch: unifiedPatch(change, redact),
  }));
  return ok({ configFile: loaded.value.file, generated: plan.value.generated, files, recovered: recovered.value });
}
