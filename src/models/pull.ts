// Pulls models one after another, each with its own progress renderer. A model Ollama cannot pull
// does not stop the others; Ctrl-C or a vanished Ollama stops the lot.
import type { LlmError } from "../errors.js";
import type { ModelClient, PullEvent } from "./types.js";

export interface PullOutcome {
  pulled: string[];
  failed: { model: string; error: LlmError }[];
  /** Models not tried because an earlier failure stopped the run. */
  skipped: string[];
}

/** Shows one model's pull as it goes (cli/models/progress.ts draws bars). */
interface PullRenderer {
  update(event: PullEvent): void;
  finish(): void;
  /** The pull failed: stop drawing, leave what was drawn. */
  abandon(): void;
}

export interface PullHooks {
  /** A renderer for one model's progress; undefined pulls silently (--json, --quiet). */
  progress?: (model: string) => PullRenderer | undefined;
  /** Called as each failure happens, so it is reported next to that model's progress. */
  onFailure?: (model: string, error: LlmError) => void;
}

const STOPS_EVERYTHING = new Set(["INTERRUPTED", "OLLAMA_UNREACHABLE"]);

export async function pullModels(client: ModelClient, models: readonly string[], hooks: PullHooks = {}): Promise<PullOutcome> {
  const outcome: PullOutcome = { pulled: [], failed: [], skipped: [] };
  for (const [index, model] of models.entries()) {
    const progress = hooks.progress?.(model);
    const result = await client.pull(model, (event) => progress?.update(event));
    if (result.ok) {
      progress?.finish();
      outcome.pulled.push(model);
      continue;
    }
    progress?.abandon();
    outcome.failed.push({ model, error: result.error });
    hooks.onFailure?.(model, result.error);
    if (STOPS_EVERYTHING.has(result.error.code)) {
      outcome.skipped = models.slice(index + 1);
      break;
    }
  }
  return outcome;
}
