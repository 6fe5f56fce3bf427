// `llm models` use cases: which Ollama to talk to (--url, else OLLAMA_HOST, else the port the
// generated stack publishes), the models the config declares, and what list, pull, rm and sync do
// with them. Asking and printing stay with the command.
import type { LlmError, Result } from "../errors.js";
import { ok } from "../errors.js";
import { findModel } from "../models/names.js";
import { compareModels, planRemoval, type ModelsState, type Removal } from "../models/plan.js";
import { pullModels, type PullHooks, type PullOutcome } from "../models/pull.js";
import { explicitEndpoint, stackEndpoint, type DeclaredModels, type OllamaEndpoint } from "../models/target.js";
import type { InstalledModel, ModelClient } from "../models/types.js";
import { openStack } from "./open-stack.js";

export interface ModelsRequest {
  cwd: string;
  configPath?: string;
  /** --url; else OLLAMA_HOST from `env`; else the stack's published port. */
  url?: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Read the config even with an explicit URL (list, rm and sync compare against it; a pull to
   * an explicit URL needs none). */
  needsDeclared: boolean;
}

export interface ModelSession {
  client: ModelClient;
  /** The config's models; absent for a pull to an explicit URL. */
  declared: DeclaredModels | undefined;
}

export async function openModels(request: ModelsRequest): Promise<Result<ModelSession>> {
  const explicit = explicitEndpoint(request.url, request.env);
  if (explicit && !explicit.ok) return explicit;
  let declared: DeclaredModels | undefined;
  let endpoint: Result<OllamaEndpoint> | undefined = explicit;
  if (request.needsDeclared || !endpoint) {
    const opened = await openStack({ cwd: request.cwd, ...(request.configPath ? { configPath: request.configPath } : {}) });
    if (!opened.ok) return opened;
    const { stack, configFile } = opened.value;
    declared = { file: configFile, models: [...stack.models] };
    endpoint ??= stackEndpoint(stack, configFile);
  }
  if (!endpoint.ok) return endpoint;
  // Loaded here, not at start: other commands do not pay for the Ollama client.
  const { connectOllama } = await import("../io/ollama-client.js");
  const { url, service } = endpoint.value;
  const client = connectOllama({ url, ...(request.signal ? { signal: request.signal } : {}), ...(service ? { service } : {}) });
  return ok({ client, declared });
}

/** What Ollama has, against what the config declares. */
export async function modelsState(session: ModelSession): Promise<Result<ModelsState>> {
  const installed = await session.client.list();
  if (!installed.ok) return installed;
  return ok(compareModels(session.declared?.models ?? [], installed.value));
}

export interface PullReport extends PullOutcome {
  /** Pulled, but not in the config's models: a fresh stack would not have them. */
  undeclared: string[];
}

export async function pullNamed(session: ModelSession, names: readonly string[], hooks: PullHooks): Promise<PullReport> {
  const outcome = await pullModels(session.client, names, hooks);
  const { declared } = session;
  return { ...outcome, undeclared: declared ? outcome.pulled.filter((name) => findModel(declared.models, name) === undefined) : [] };
}

/** Every name checked against what is installed and declared; nothing removed yet. */
export async function planModelRemoval(session: ModelSession, names: readonly string[], force: boolean): Promise<Result<Removal>> {
  const installed = await session.client.list();
  if (!installed.ok) return installed;
  return planRemoval(names, installed.value, session.declared ?? { file: "", models: [] }, force);
}

/** Deletes one by one; stops at the first failure, reporting what was already removed. */
export async function removeModels(
  session: ModelSession,
  targets: readonly InstalledModel[],
  onRemoved: (model: InstalledModel) => void,
): Promise<{ removed: string[]; error?: LlmError }> {
  const removed: string[] = [];
  for (const model of targets) {
    const result = await session.client.remove(model.name);
    if (!result.ok) return { removed, error: result.error };
    removed.push(model.name);
    onRemoved(model);
  }
  return { removed };
}
