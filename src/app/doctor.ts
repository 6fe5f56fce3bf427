// `llm doctor` as a use case: the stack the config describes (or the defaults when there is none
// yet), then the host checked against it.
import { path } from "../util/path.js";
import type { ResolveOptions } from "../config/resolve.js";
import type { CheckResult } from "../doctor/check-result.js";
import { runChecks } from "../doctor/checks.js";
import { type Result, ok } from "../errors.js";
import type { HostProbe } from "../host/types.js";
import { readText } from "../io/files.js";
import { realHost } from "../host/real.js";
import { openStackOrDefaults } from "./open-stack.js";
import { SECRETS_FILE } from "../layout.js";
import { unsetReferences } from "../secrets/references.js";

export interface DoctorReport {
  /** null when no config exists: the built-in defaults were checked. */
  configFile: string | null;
  presets: string[];
  checks: CheckResult[];
}

export interface DoctorRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  /** The machine to check; absent: this one. */
  host?: HostProbe;
  today?: string;
}

export async function runDoctor(request: DoctorRequest): Promise<Result<DoctorReport>> {
  const opened = await openStackOrDefaults(request);
  if (!opened.ok) return opened;
  const { loaded, resolved, stack, outDir } = opened.value;
  const composeFileExists = (await readText(path.join(outDir, "docker-compose.yml"))) !== null;
  const checks = await runChecks({
    config: resolved.config,
    stack,
    outDir,
    composeFileExists,
    host: request.host ?? realHost(),
    today: request.today ?? new Date().toISOString().slice(0, 10),
  });
  // A key an endpoint names but secrets.env lacks: the stack starts, and that endpoint fails.
  let secretsText: string | null = null;
  try {
    secretsText = await readText(path.join(outDir, SECRETS_FILE));
  } catch {
    // Unreadable: the secrets check of generate and validate says so; nothing to judge here.
  }
  for (const notice of unsetReferences(stack, secretsText))
    checks.push({ id: "secrets", status: "warn", message: `${notice.path}: ${notice.message}`, ...(notice.hint ? { fix: notice.hint } : {}) });
  if (!loaded) checks.unshift({ id: "config", status: "warn", message: "no llm.config.* here: checked the built-in defaults", fix: "run llm init" });
  return ok({ configFile: loaded ? loaded.file : null, presets: resolved.presets, checks });
}
