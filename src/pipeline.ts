// The pure core: config in, file plans out. No disk, clock, environment or randomness here.
import { resolveConfig, type ConfigSource, type ResolveOptions, type ResolvedConfig } from "./config/resolve.js";
import { LlmError, type Result, fail, ok } from "./errors.js";
import { syntaxProblems } from "./outputs/check.js";
import { mergeManagedBlock } from "./outputs/gitignore.js";
import { OUTPUTS } from "./outputs/registry.js";
import type { FilePlan } from "./outputs/types.js";
import { renderTemplate } from "./render/engine.js";
import { defaultsLayer } from "./presets/catalog.js";
import { showValue } from "./config/leaves.js";
import { getAt } from "./util/json-path.js";
import { buildStack } from "./stack/build.js";
import { MissingValue } from "./stack/helpers.js";
import type { Stack } from "./stack/types.js";

export interface Generated {
  resolved: ResolvedConfig;
  stack: Stack;
  files: FilePlan[];
}

/** Reads a file's current text for outputs that keep a user's lines (`.gitignore`). */
export type ExistingText = (path: string) => string | null;

/** LF only and exactly one trailing newline: the same bytes on every platform. */
function normalize(text: string): string {
  return `${text
    .replace(/\r\n?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n+$/, "")}\n`;
}

export function renderFiles(stack: Stack, configFile: string, existing: ExistingText = () => null): Result<FilePlan[]> {
  const files: FilePlan[] = [];
  for (const output of OUTPUTS) {
    if (!output.applies(stack)) continue;
    const rendered = normalize(renderTemplate(output.template, output.view({ stack, configFile })));
    const problems = syntaxProblems(output, rendered);
    if (problems.length > 0) {
      return fail(
        new LlmError("OUTPUT_INVALID", `internal: generated ${output.path} does not parse: ${problems.join("; ")}`, {
          hint: "please report this with your config",
        }),
      );
    }
    const contents = output.managedBlock ? mergeManagedBlock(existing(output.path), rendered) : rendered;
    files.push({ path: output.path, contents, mode: 0o644, managedBlock: output.managedBlock === true });
  }
  return ok(files);
}

export interface RenderOptions {
  /** The config's name in each file's header; default `source.file`. The writer passes the name
   * relative to the output folder, so the bytes do not depend on where `llm` was started. */
  configName?: string;
}

export function generateFromSource(source: ConfigSource, options: ResolveOptions = {}, existing?: ExistingText, render: RenderOptions = {}): Result<Generated> {
  const resolved = resolveConfig(source, options);
  if (!resolved.ok) return resolved;
  const stack = stackFor(resolved.value);
  if (!stack.ok) return stack;
  const files = renderFiles(stack.value, render.configName ?? source.file, existing);
  if (!files.ok) return files;
  return ok({ resolved: resolved.value, stack: stack.value, files: files.value });
}

/** The stack of a resolved config. A `null` may have deleted a default the stack cannot do
 * without (an image, a port): that is the config's error, named with the layer that deleted it. */
export function stackFor(resolved: ResolvedConfig): Result<Stack> {
  try {
    return ok(buildStack(resolved.config));
  } catch (error) {
    if (error instanceof MissingValue) return fail(missingValue(error.path, resolved));
    throw error;
  }
}

function missingValue(path: string, resolved: ResolvedConfig): LlmError {
  const { deleted } = resolved.merged;
  // The null may sit on the value itself or on a map around it (`ollama: null`).
  const at = [path, ...enclosing(path)].find((candidate) => deleted.has(candidate));
  const layer = at === undefined ? undefined : deleted.get(at);
  const fallback = getAt(defaultsLayer().values, `/${path.split(".").join("/")}`);
  const file = layer?.file ?? "defaults";
  const shown = fallback === undefined || (typeof fallback === "object" && fallback !== null) ? undefined : showValue(fallback);
  const was = shown === undefined ? "" : ` (the built-in default is ${shown})`;
  const by = layer?.source === "--set" ? `--set ${at}=null` : `${at}: null in ${layer?.source}`;
  const diagnostic = {
    file,
    path,
    message: layer ? `has no value: ${by} deleted it${was}, and the stack needs one` : "has no value, and the stack needs one",
    hint: `set ${path} to a value, or remove the null to keep the default`,
  };
  return new LlmError("CONFIG_INVALID", `${file} has 1 problem`, {
    diagnostics: [diagnostic],
    hint: "fix the values above and run the command again; `llm validate` checks without writing",
  });
}

/** `a.b.c` → `a.b`, `a`. */
function enclosing(path: string): string[] {
  const out: string[] = [];
  for (let cut = path.lastIndexOf("."); cut > 0; cut = path.lastIndexOf(".", cut - 1)) out.push(path.slice(0, cut));
  return out;
}
