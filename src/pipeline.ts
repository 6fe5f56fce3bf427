// The pure core: config in, file plans out. No disk, clock, environment or randomness here.
import { resolveConfig, type ConfigRule, type ConfigSource, type ResolveOptions, type Resolution } from "./config/resolve.js";
import { MODULES, moduleRules } from "./modules/registry.js";
import { LlmError, type Result, fail, ok } from "./errors.js";
import { syntaxProblems } from "./outputs/check.js";
import { mergeManagedBlock } from "./outputs/gitignore.js";
import { OUTPUTS } from "./outputs/registry.js";
import type { FilePlan, OutputDefinition } from "./outputs/types.js";
import { renderTemplate } from "./render/engine.js";
import { buildStack } from "./stack/build.js";
import { stackRules } from "./stack/rules.js";
import type { Stack } from "./stack/types.js";

export interface Generated {
  resolved: Resolution;
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

/** Reads a rendered file back in its syntax: the problems found, none when it parses. The writer
 * passes one that remembers what it accepted before (app/accepted-outputs.ts). */
export type OutputCheck = (output: OutputDefinition, text: string) => string[];

function renderFiles(stack: Stack, configFile: string, existing: ExistingText, check: OutputCheck): Result<FilePlan[]> {
  const files: FilePlan[] = [];
  for (const output of OUTPUTS) {
    if (!output.applies(stack)) continue;
    const rendered = normalize(renderTemplate(output.template, output.view({ stack, configFile })));
    const problems = check(output, rendered);
    if (problems.length > 0) {
      return fail(
        new LlmError("OUTPUT_INVALID", `generated ${output.path} does not parse (a bug in local-llm-stack): ${problems.join("; ")}`, {
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

/** The config resolved and checked: the schema, the merge, the core's rules and every module's. */
export function resolveChecked(source: ConfigSource, options: ResolveOptions = {}): Result<Resolution> {
  return resolveConfig(source, options, rulesAbove);
}

const rulesAbove: ConfigRule = (config, merged, fileOf) => [...stackRules(config, merged, fileOf), ...moduleRules(config, merged, fileOf)];

export interface Described {
  resolved: Resolution;
  stack: Stack;
}

/** The stack a config describes: resolved, checked and built, nothing rendered yet. */
export function describeStack(source: ConfigSource, options: ResolveOptions = {}): Result<Described> {
  const resolved = resolveChecked(source, options);
  if (!resolved.ok) return resolved;
  return ok({ resolved: resolved.value, stack: buildStack(resolved.value.config, MODULES) });
}

/** A described stack's files. `configName` is the config's name in each file's header. */
export function renderDescribed(
  described: Described,
  configName: string,
  existing: ExistingText = () => null,
  check: OutputCheck = syntaxProblems,
): Result<Generated> {
  const files = renderFiles(described.stack, configName, existing, check);
  if (!files.ok) return files;
  return ok({ ...described, files: files.value });
}

export function generateFromSource(source: ConfigSource, options: ResolveOptions = {}, existing?: ExistingText, render: RenderOptions = {}): Result<Generated> {
  const described = describeStack(source, options);
  if (!described.ok) return described;
  return renderDescribed(described.value, render.configName ?? source.file, existing);
}
