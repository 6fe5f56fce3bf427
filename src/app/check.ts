// `llm generate --check` for CI: which committed files `generate` would change. Writes nothing;
// the secrets file is not committed, so it is not checked.
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { isChange } from "../diff/changes.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { nodeFs, type WriterFs } from "../io/fs.js";
import { hasJournal } from "../io/transaction.js";
import { TX_DIR } from "../layout.js";
import type { OutputDefinition } from "../outputs/types.js";
import type { Generated } from "../pipeline.js";
import { noRandom } from "./generate.js";
import { txDirOf } from "./output-lock.js";
import { planWorkspace } from "./workspace.js";

export type DriftStatus = "stale" | "missing" | "extra";

export interface CheckReport {
  configFile: string;
  generated: Generated;
  /** In the order `generate` writes them; empty when the folder is up to date. */
  drift: { path: string; status: DriftStatus }[];
}

export interface CheckRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  fs?: WriterFs;
  outputs?: readonly OutputDefinition[];
}

const STATUS = { create: "missing", update: "stale", delete: "extra" } as const;

export async function runCheck(request: CheckRequest): Promise<Result<CheckReport>> {
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (!loaded.ok) return loaded;
  const fs = request.fs ?? nodeFs;
  const plan = await planWorkspace(loaded.value, { ...(request.options ? { options: request.options } : {}), ...(request.outputs ? { outputs: request.outputs } : {}), fs, random: noRandom });
  if (!plan.ok) return plan;
  if (await hasJournal(txDirOf(plan.value.outDir), fs)) {
    return fail(
      new LlmError("WRITE_INTERRUPTED", `an interrupted \`llm generate\` left unfinished changes in ${TX_DIR}/`, {
        hint: "run `llm generate` to finish them (`--check` writes nothing), then check again",
      }),
    );
  }
  const drift = plan.value.changes
    .filter((change) => isChange(change) && change.role !== "secrets")
    .map((change) => ({ path: change.path, status: STATUS[change.kind as keyof typeof STATUS] }));
  return ok({ configFile: loaded.value.file, generated: plan.value.generated, drift });
}
