// What `llm models` prints for people: the model table and the notes about declared models.
import type { InstalledModel } from "../../models/types.js";
import { table } from "../table.js";
import { formatAge, formatBytes } from "./format.js";
import type { ModelsState } from "../../models/plan.js";

export function listText(state: ModelsState, context: { url: string; configFile: string; now: number }): string {
  const lines = [`Ollama at ${context.url}`];
  if (state.installed.length === 0) lines.push("no models installed yet");
  else {
    const rows = state.installed.map((m) => [
      m.name,
      formatBytes(m.size),
      m.quantization || "-",
      m.parameterSize || "-",
      formatAge(new Date(m.modifiedAt), context.now),
      m.declared ? "yes" : "no",
    ]);
    lines.push(...table([["NAME", "SIZE", "QUANT", "PARAMS", "MODIFIED", "DECLARED"], ...rows]));
  }
  const notes = declaredNotes(state, context.configFile);
  return `${[...lines, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n")}\n`;
}

/** One line each for the declared models Ollama lacks and the installed ones nobody declared. */
export function declaredNotes(state: Pick<ModelsState, "missing" | "undeclared">, configFile: string): string[] {
  const notes: string[] = [];
  if (state.missing.length > 0) {
    notes.push(
      `missing: ${state.missing.join(", ")} ${isAre(state.missing)} declared in ${configFile} but not pulled; \`llm models sync\` pulls ${itThem(state.missing)}`,
    );
  }
  if (state.undeclared.length > 0) {
    notes.push(
      `undeclared: ${names(state.undeclared)} ${isAre(state.undeclared)} not in ${configFile}; add ${itThem(state.undeclared)} to models to keep ${itThem(state.undeclared)}, or \`llm models sync --prune\` removes ${itThem(state.undeclared)}`,
    );
  }
  return notes;
}

/** "mistral:7b (4.1 GB), phi3:mini (2.2 GB)" */
export function withSizes(models: readonly InstalledModel[]): string {
  return models.map((m) => `${m.name} (${formatBytes(m.size)})`).join(", ");
}

const names = (models: readonly InstalledModel[]) => models.map((m) => m.name).join(", ");
const isAre = (items: readonly unknown[]) => (items.length === 1 ? "is" : "are");
const itThem = (items: readonly unknown[]) => (items.length === 1 ? "it" : "them");
