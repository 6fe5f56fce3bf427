// `--set path=value` → a config layer applied after the user's file. Values are read as JSON
// when they parse (numbers, booleans, null, lists, objects), else taken as plain strings.
import { LlmError, type Diagnostic, type Result, fail, ok } from "../errors.js";
import type { ResolveOptions } from "../config/resolve.js";

const SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Parses every `--set` at once, reporting all malformed ones together. */
export function parseOverrides(assignments: readonly string[]): Result<ResolveOptions> {
  const layer: Record<string, unknown> = {};
  const problems: Diagnostic[] = [];
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    const pathText = eq < 0 ? assignment : assignment.slice(0, eq);
    const where = { file: "--set", path: pathText };
    if (eq < 0) {
      problems.push({ ...where, message: `expected path=value, found ${JSON.stringify(assignment)}`, hint: `e.g. --set ollama.memory=16g` });
      continue;
    }
    const segments = pathText.split(".");
    if (pathText.includes("[") || segments.some((s) => !SEGMENT.test(s))) {
      problems.push({
        ...where,
        message: `expected a dotted path of keys such as ollama.memory, found ${JSON.stringify(pathText)}`,
        hint: pathText.includes("[") ? `lists are replaced whole: --set '${pathText.replace(/\[.*$/, "")}=[...]'` : "use the key names shown by `llm explain`",
      });
      continue;
    }
    let target = layer;
    for (const segment of segments.slice(0, -1)) {
      const next = target[segment];
      if (next === null || typeof next !== "object" || Array.isArray(next)) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    target[segments[segments.length - 1] as string] = parseValue(assignment.slice(eq + 1));
  }
  if (problems.length > 0) {
    return fail(
      new LlmError("USAGE", `--set has ${problems.length} malformed value${problems.length === 1 ? "" : "s"}`, {
        diagnostics: problems,
        hint: "write --set path=value; quote JSON values for the shell: --set 'models=[\"llama3.2:3b\"]'",
      }),
    );
  }
  if (Object.keys(layer).length === 0) return ok({});
  // `presets` picks layers rather than setting a value, so it travels separately.
  const { presets, ...overrides } = layer;
  const options: ResolveOptions = {};
  if (Object.keys(overrides).length > 0) options.overrides = overrides;
  if (presets !== undefined) {
    if (!Array.isArray(presets) || presets.some((p) => typeof p !== "string")) {
      return fail(
        new LlmError("USAGE", "--set presets expects a list of preset names", {
          diagnostics: [{ file: "--set", path: "presets", message: `expected a list such as ["nvidia","low-ram"], found ${JSON.stringify(presets)}` }],
          hint: "--set 'presets=[\"nvidia\"]'",
        }),
      );
    }
    options.presets = presets as string[];
  }
  return ok(options);
}
