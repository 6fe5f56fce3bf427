// Layers (a config file, a preset, --set) may hold `null` to delete what an earlier layer set.
// A layer is checked as the strict schema sees it once its nulls are set aside, and each null
// must name a key the schema knows: one compiled validator serves layers and the merged result.
import { validateConfig } from "../generated/validators.js";
import type { Diagnostic } from "../errors.js";
import { appendPath } from "../util/json-path.js";
import { diagnose, unknownKeyDiagnostic } from "./diagnose.js";

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `data` without its null-valued keys, and where those keys were. */
function setNullsAside(data: unknown, at: string[] = [], nulls: string[][] = []): { value: unknown; nulls: string[][] } {
  if (Array.isArray(data)) return { value: data.map((item, i) => setNullsAside(item, [...at, String(i)], nulls).value), nulls };
  if (!isMap(data)) return { value: data, nulls };
  const value: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(data)) {
    if (item === null) nulls.push([...at, key]);
    else value[key] = setNullsAside(item, [...at, key], nulls).value;
  }
  return { value, nulls };
}

/** `ollama`, `ollama.gpu`, `ollama.gpu.count` for ["ollama", "gpu", "count"]. */
function enclosingPaths(segments: readonly string[]): string[] {
  const out: string[] = [];
  let at = "";
  for (const segment of segments) out.push((at = appendPath(at, segment)));
  return out;
}

/** Checks one layer (a config file or a preset): every key known, every value well-formed, null allowed. */
export function checkLayer(data: unknown, file: string): Diagnostic[] {
  const { value, nulls } = setNullsAside(data);
  const problems = validateConfig(value) ? [] : diagnose(validateConfig.errors, value, file);
  // A null under a key the validator already reports (unknown, say) is not reported again. Found
  // by its enclosing paths, not by scanning every problem: a layer can hold 200,000 nulls.
  const reported = new Set(problems.map((p) => p.path).filter((p) => p !== ""));
  for (const path of nulls) {
    const problem = unknownKeyDiagnostic(path, file);
    if (problem && !enclosingPaths(path).some((at) => reported.has(at))) problems.push(problem);
  }
  return problems;
}

/** Checks the merged result, which must be a complete config without nulls. */
export function checkResolved(data: unknown, fileOf: (path: string) => string): Diagnostic[] {
  if (validateConfig(data)) return [];
  return diagnose(validateConfig.errors, data, "").map((d) => ({ ...d, file: fileOf(d.path) }));
}
