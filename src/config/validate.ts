// Layers (a config file, a preset, --set) may hold `null` to delete what an earlier layer set.
// A layer is checked as the strict schema sees it once its nulls are set aside, and each null
// must name a key the schema knows: one compiled validator serves layers and the merged result.
import { validateConfig } from "../generated/validators.js";
import type { Diagnostic } from "../errors.js";
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

/** Checks one layer (a config file or a preset): every key known, every value well-formed, null allowed. */
export function checkLayer(data: unknown, file: string): Diagnostic[] {
  const { value, nulls } = setNullsAside(data);
  const problems = validateConfig(value) ? [] : diagnose(validateConfig.errors, value, file);
  for (const path of nulls) {
    const problem = unknownKeyDiagnostic(path, file);
    if (problem && !problems.some((p) => problem.path.startsWith(p.path) && p.path !== "")) problems.push(problem);
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
export function deletedDefaults(merged: unknown, defaults: Record<string, unknown>, at = ""): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(defaults)) {
    if (key === "$schema" || key === "description") continue;
    const path = at === "" ? key : `${at}.${key}`;
    const present = isMap(merged) ? merged[key] : undefined;
    if (present === undefined) out.push(path);
    else if (isMap(value)) out.push(...deletedDefaults(present, value, path));
  }
  return out;
}
