// What `llm backup` and `llm restore` share: the Compose stack of the config, `docker compose`
// run in the output folder (so docker-compose.override.yml applies as it does for `up`), the
// check that the services a step runs in are up, and docker's messages with every secret value
// taken out before they are shown.
import { LlmError, type Result, fail, ok } from "../errors.js";
import { readText } from "../io/files.js";
import { runDocker, type DockerOptions, type DockerRun } from "../io/docker.js";
import { SECRETS_FILE } from "../layout.js";
import { parseSecrets } from "../secrets/store.js";
import type { Stack } from "../stack/types.js";
import { inside } from "../util/path.js";
import type { OpenedStack } from "./open-stack.js";

export interface ComposeProject {
  stack: Stack;
  outDir: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Every secret value of secrets.env, longest first: removed from anything docker printed. */
  secretValues: string[];
}

export async function composeProject(
  opened: OpenedStack,
  command: string,
  env: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<Result<ComposeProject>> {
  const stack = opened.stacks.find((s) => s.target === "compose");
  if (!stack) {
    return fail(
      new LlmError("BACKUP_UNSUPPORTED", `llm ${command} works with the Compose target only; ${opened.configFile} targets ${opened.stack.target}`, {
        hint: 'back up a cluster with its own tools (a volume snapshot, or mongodump through `kubectl exec`), or add "compose" to targets (README: Backups)',
      }),
    );
  }
  let secretValues: string[] = [];
  try {
    const text = await readText(inside(opened.outDir, SECRETS_FILE));
    if (text !== null) secretValues = withSecretsOf(secretValues, text);
  } catch {
    // An unreadable secrets file is reported by the step that copies it.
  }
  return ok({ stack, outDir: opened.outDir, env, ...(signal ? { signal } : {}), secretValues });
}

/** `values` and every value of the secrets file `text`, longest first (so a value that holds
 * another is replaced whole). A file that does not parse adds nothing. */
export function withSecretsOf(values: readonly string[], text: string): string[] {
  let parsed: string[] = [];
  try {
    parsed = [...parseSecrets(text).values()].map((entry) => entry.value).filter((value) => value.length >= 4);
  } catch {
    // Nothing to add: the command that reads it for real reports it.
  }
  return [...new Set([...values, ...parsed])].sort((a, b) => b.length - a.length);
}

/** docker's last words on stderr, without any secret value. */
export function dockerSaid(project: ComposeProject, run: DockerRun): string {
  let text = run.stderr.trim();
  for (const value of project.secretValues) text = text.split(value).join("<secret>");
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  return lines.slice(-3).join(" / ") || "(nothing on stderr)";
}

export function docker(
  project: ComposeProject,
  args: readonly string[],
  options: Omit<DockerOptions, "cwd" | "env" | "signal"> = {},
): Promise<DockerRun | null> {
  return runDocker(args, { cwd: project.outDir, env: project.env, ...(project.signal ? { signal: project.signal } : {}), ...options });
}

export const interrupted = (what: string): LlmError =>
  new LlmError("INTERRUPTED", `stopped by Ctrl-C ${what}`, { hint: "run the command again when you are ready" });

/** Docker is installed and answers, and every one of `services` is running. */
export async function checkRunning(project: ComposeProject, services: readonly string[]): Promise<Result<void>> {
  const run = await docker(project, ["compose", "ps", "--services", "--status", "running"]);
  if (run === null) {
    return fail(
      new LlmError("DOCKER_UNAVAILABLE", "docker is not installed (no `docker` on PATH)", {
        hint: "install Docker Engine with the Compose plugin (https://docs.docker.com/engine/install/), then start the stack: docker compose up -d",
      }),
    );
  }
  if (project.signal?.aborted) return fail(interrupted("while asking Docker which services run"));
  if (run.code !== 0) {
    return fail(
      new LlmError("DOCKER_UNAVAILABLE", `docker compose ps failed (exit ${run.code ?? "by a signal"}): ${dockerSaid(project, run)}`, {
        hint: "start the Docker daemon (and check `docker compose version` works), then the stack: docker compose up -d",
      }),
    );
  }
  const running = new Set(run.stdout.split("\n").map((line) => line.trim()));
  const stopped = services.filter((service) => !running.has(service));
  if (stopped.length > 0) {
    return fail(
      new LlmError("SERVICE_STOPPED", `${stopped.join(", ")} ${stopped.length === 1 ? "is" : "are"} not running: the dumps run inside the services`, {
        hint: `start ${stopped.length === 1 ? "it" : "them"}: docker compose up -d ${stopped.join(" ")}`,
      }),
    );
  }
  return ok(undefined);
}
