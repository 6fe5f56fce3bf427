// Layers (a config file, a preset, --set) may hold `null` to delete what an earlier layer set.
// A layer is checked as the strict schema sees it once its nulls are set aside, and each null
// must name a key the schema knows: one compiled validator serves layers and the merged result.
import { validateConfig } from "../generated/validators.js";
import type { Diagnostic } from "../errors.js";
import { appendPath } from "../util/json-path.js";
import { describeValue, diagnose, unknownKeyDiagnostic } from "./diagnose.js";
import { canonicalModelName } from "../util/model-name.js";

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

const modelName = (entry: unknown): string | undefined =>
  typeof entry === "string" ? entry : isMap(entry) && typeof entry["name"] === "string" ? entry["name"] : undefined;

/** A model listed twice, by name ("x" and {name: "x"} are one model). Not the schema's
 * uniqueItems: ajv compares every pair of items unless they have a scalar type, and a model may be
 * an object, so 100,000 models took minutes. One pass with a map instead. */
function duplicateModels(value: unknown, file: string): Diagnostic[] {
  const models = isMap(value) ? value["models"] : undefined;
  if (!Array.isArray(models)) return [];
  const first = new Map<string, number>();
  const out: Diagnostic[] = [];
  for (let index = 0; index < models.length; index++) {
    const entry: unknown = models[index];
    const name = modelName(entry);
    if (name === undefined) continue;
    // Ollama's names: "x" is "x:latest", so the two would be one model pulled and listed twice.
    const canonical = canonicalModelName(name);
    const earlier = first.get(canonical);
    if (earlier === undefined) first.set(canonical, index);
    else {
      const earlierName = modelName(models[earlier]);
      out.push({
        file,
        path: `models[${index}]`,
        message:
          earlierName === name
            ? `duplicate entry ${describeValue(name)}, already listed at models[${earlier}]`
            : `${describeValue(name)} is the same model as ${describeValue(earlierName)} at models[${earlier}] (Ollama reads a name without a tag as :latest, and ignores case)`,
        hint: earlierName === name ? "list each entry once" : "list each model once",
      });
    }
  }
  return out;
}

/** Checks one layer (a config file or a preset): every key known, every value well-formed, null allowed. */
export function checkLayer(data: unknown, file: string): Diagnostic[] {
  const { value, nulls } = setNullsAside(data);
  const problems = (validateConfig(value) ? [] : diagnose(validateConfig.errors, value, file)).concat(duplicateModels(value, file));
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

/** Dotted paths of every value `defaults` sets that `merged` lacks. A `null` in a later layer
 * deletes what an earlier one set; a value only the defaults give cannot be deleted that way,
 * because the stack needs one. (Maps are walked; lists and scalars are leaves.) */
export function deletedDefaults(merged: unknown, defaults: Record<string, unknown>, at: readonly string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, value] of Object.entries(defaults)) {
    if (key === "$schema" || key === "description") continue;
    const path = [...at, key];
    const present = isMap(merged) ? merged[key] : undefined;
    if (present === undefined) out.push(path);
    else if (isMap(value)) out.push(...deletedDefaults(present, value, path));
  }
  return out;
}
