// `llm explain`: every resolved value with the layer it came from, optionally under one path.
import type { ResolveOptions } from "../config/resolve.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { explain, layerNames, underPath, withContainerValues, type ExplainedValue } from "../explain/explain.js";
import { didYouMean } from "../util/did-you-mean.js";
import { openStack } from "./open-stack.js";

export interface ExplainRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  /** Only values at or below this path, e.g. "ollama" or "librechat.port". */
  under?: string;
}

export interface ExplainReport {
  configFile: string;
  presets: string[];
  /** Merge order, later wins: defaults, each preset, the file, and --set when given. */
  layers: string[];
  values: ExplainedValue[];
}

export async function explainConfig(request: ExplainRequest): Promise<Result<ExplainReport>> {
  const opened = await openStack(request);
  if (!opened.ok) return opened;
  const { resolved, configFile } = opened.value;
  const options = request.options ?? {};
  const all = withContainerValues(explain(resolved, configFile, options.presets ? "--set" : configFile), opened.value.stack);
  const values = request.under ? underPath(all, request.under) : all;
  if (request.under && values.length === 0) {
    const candidates = [...new Set(all.flatMap((v) => v.path.split(".").map((_, i, parts) => parts.slice(0, i + 1).join("."))))];
    const suggestion = didYouMean(request.under, candidates);
    return fail(
      new LlmError("USAGE", `no value at ${JSON.stringify(request.under)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`, {
        hint: "run `llm explain` to see every path",
      }),
    );
  }
  return ok({ configFile, presets: resolved.presets, layers: layerNames(resolved, configFile, options.overrides !== undefined), values });
}
