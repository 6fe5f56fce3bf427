// What `llm models` prints for people: the model table and the notes about declared models.
import type { InstalledModel } from "../../models/types.js";
import { table } from "../table.js";
import { formatAge, formatBytes } from "./format.js";
import type { ModelsState } from "../../models/plan.js";

export function listText(state: ModelsState, context: { url: string; configFile: string; now: number }): string {
  let lines = [`Ollama at ${context.url}`];
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
    // concat, not push(...): a spread of 400,000 rows overflows the stack.
    lines = lines.concat(table([["NAME", "SIZE", "QUANT", "PARAMS", "MODIFIED", "DECLARED"], ...rows]));
  }
  const notes = declaredNotes(state, context.configFile);
  return `${[...lines, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n")}\n`;
}

/** One line each for the declared models Ollama lacks and the installed ones nobody declared. */
export function declaredNotes(state: Pick<ModelsState, "missing" | "undeclared">, configFile: string): string[] {
  const notes: string[] = [];
  if (state.missing.length > 0) {
    notes.push(
      `missing: ${some(state.missing)} ${isAre(state.missing)} declared in ${configFile} but not pulled; \`llm models sync\` pulls ${itThem(state.missing)}`,
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
  return some(models.map((m) => `${m.name} (${formatBytes(m.size)})`));
}

/** A list of names for a sentence: the first twenty, then how many more. */
function some(items: readonly string[]): string {
  const shown = items.slice(0, 20).join(", ");
  return items.length > 20 ? `${shown} and ${items.length - 20} more` : shown;
}
const names = (models: readonly InstalledModel[]) => some(models.map((m) => m.name));
const isAre = (items: readonly unknown[]) => (items.length === 1 ? "is" : "are");
const itThem = (items: readonly unknown[]) => (items.length === 1 ? "it" : "them");
