// `llm generate --check` for CI: which committed files `generate` would change. Writes nothing;
// secrets.env and the private files derived from it are not committed, so they are not checked.
import { isChange, isSecretBearing } from "../diff/changes.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { hasJournal } from "../io/transaction.js";
import { TX_DIR } from "../layout.js";
import type { Generated } from "../pipeline.js";
import { ignoredByGit, type IgnoredFile } from "../host/git.js";
import { txDirOf } from "./output-lock.js";
import { openWorkspace, type WorkspaceRequest } from "./workspace.js";

type DriftStatus = "stale" | "missing" | "extra";

export interface CheckReport {
  configFile: string;
  generated: Generated;
  /** In the order `generate` writes them; empty when the folder is up to date. */
  drift: { path: string; status: DriftStatus }[];
  /** Missing files git ignores: why they were never committed, with the rule to change. */
  ignored: IgnoredFile[];
}

const STATUS = { create: "missing", update: "stale", delete: "extra" } as const;

export async function runCheck(request: WorkspaceRequest): Promise<Result<CheckReport>> {
  // CI has no secrets.env: a secret the manifest names is not lost there, only not checked out.
  const workspace = await openWorkspace({ ...request, ignoreLostSecrets: true });
  if (!workspace.ok) return workspace;
  const { loaded, fs, precheck: plan } = workspace.value;
  if (await hasJournal(txDirOf(plan.outDir), fs)) {
    return fail(
      new LlmError("WRITE_INTERRUPTED", `an interrupted \`llm generate\` left unfinished changes in ${TX_DIR}/`, {
        hint: "run `llm generate` to finish them (`--check` writes nothing), then check again",
      }),
    );
  }
  const drift = plan.changes
    .filter((change) => isChange(change) && !isSecretBearing(change.role))
    .map((change) => ({ path: change.path, status: STATUS[change.kind as keyof typeof STATUS] }));
  // A committed file that is missing may never have been added: a Node project's .gitignore
  // ignores `.env`. Asked only then, so an up-to-date check starts no git.
  const missing = drift.filter((file) => file.status === "missing").map((file) => file.path);
  return ok({ configFile: loaded.file, generated: plan.generated, drift, ignored: ignoredByGit(plan.outDir, missing) });
}
