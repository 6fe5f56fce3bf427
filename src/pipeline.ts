// The pure core: config in, file plans out. No disk, clock, environment or randomness here.
import { resolveConfig, type ConfigRule, type ConfigSource, type ResolveOptions, type Resolution } from "./config/resolve.js";
import { MODULES, isGeneratedSecret, moduleRules } from "./modules/registry.js";
import { LlmError, type Result, fail, ok } from "./errors.js";
import { syntaxProblems } from "./outputs/check.js";
import { mergeManagedBlock } from "./outputs/gitignore.js";
import { sharedOutputs, targetOutputs, type PlacedOutput } from "./outputs/registry.js";
import type { FilePlan, OutputContext } from "./outputs/types.js";
import { renderTemplate } from "./render/engine.js";
import { buildStack } from "./stack/build.js";
import { stackRules } from "./stack/rules.js";
import { envRules } from "./stack/env-rules.js";
import type { Notice, Stack, Target } from "./stack/types.js";
import { TARGETS } from "./layout.js";
import { unreadSettings } from "./stack/target-settings.js";

export interface Generated extends Described {
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
export type OutputCheck = (output: Pick<PlacedOutput, "path" | "syntax">, text: string) => string[];

function renderFiles(described: Described, configFile: string, existing: ExistingText, check: OutputCheck): Result<FilePlan[]> {
  const { stacks } = described;
  const targets = TARGETS.filter((target) => described.resolved.declaredTargets.includes(target) || stacks.some((stack) => stack.target === target));
  const files: FilePlan[] = [];
  for (const [stack, outputs] of stacks.map((stack) => [stack, targetOutputs(stack, configFile)] as const)) {
    const paths = outputs.map((output) => output.path);
    for (const output of outputs) {
      const rendered = render(output, { stack, configFile, files: paths, targets }, existing, check);
      if (!rendered.ok) return rendered;
      files.push(rendered.value);
    }
  }
  const primary = stacks[0]!;
  for (const output of sharedOutputs(primary)) {
    const rendered = render(output, { stack: primary, configFile, files: [], targets }, existing, check);
    if (!rendered.ok) return rendered;
    files.push(rendered.value);
  }
  return ok(files);
}

function render(output: PlacedOutput, context: OutputContext, existing: ExistingText, check: OutputCheck): Result<FilePlan> {
  const rendered = normalize(renderTemplate(output.template, output.view(context)));
  const problems = check(output, rendered);
  if (problems.length > 0) {
    return fail(
      new LlmError("OUTPUT_INVALID", `generated ${output.path} does not parse (a bug in local-llm-stack): ${problems.join("; ")}`, {
        hint: "please report this with your config",
      }),
    );
  }
  const contents = output.managedBlock ? mergeManagedBlock(existing(output.path), rendered) : rendered;
  return ok({ path: output.path, contents, mode: 0o644, managedBlock: output.managedBlock, target: output.target });
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

const userEnvRules = envRules(isGeneratedSecret);
const rulesAbove: ConfigRule = (config, merged, fileOf, declaredTargets) => [
  ...stackRules(config, merged, fileOf, declaredTargets),
  ...userEnvRules(config, merged, fileOf, declaredTargets),
  ...moduleRules(config, merged, fileOf, declaredTargets),
];

export interface Described {
  resolved: Resolution;
  /** The first target's stack (Compose's when it is one of them): what commands about the running
   * stack (next steps, doctor, `llm models`) read. */
  stack: Stack;
  /** One stack per target of the run, Compose first. */
  stacks: Stack[];
}

/** A full run owns every target's files, so what a run for a target the config does not declare
 * writes is removed by the next run without `--target`: said at once, not discovered then. */
const undeclaredTarget = (target: Target): Notice => ({
  path: "targets",
  message: `--target ${target}: ${target} is not in the config's targets; the next \`llm generate\` without --target removes these files`,
  hint: `add "${target}" to targets to keep them`,
});

/** The stacks a config describes: resolved, checked and built per target, nothing rendered yet. */
export function describeStack(source: ConfigSource, options: ResolveOptions = {}): Result<Described> {
  const resolved = resolveChecked(source, options);
  if (!resolved.ok) return resolved;
  const { config, onlyTarget, declaredTargets } = resolved.value;
  const stacks = TARGETS.filter((target) => config.targets.includes(target)).map((target) => buildStack(config, MODULES, target));
  if (onlyTarget && !declaredTargets.includes(onlyTarget)) stacks[0]!.warnings.push(undeclaredTarget(onlyTarget));
  stacks[0]!.warnings.unshift(...resolved.value.presetOverrides);
  stacks[0]!.warnings.push(...unreadSettings(resolved.value, MODULES, source.file));
  return ok({ resolved: resolved.value, stack: stacks[0]!, stacks });
}

/** A described stack's files. `configName` is the config's name in each file's header. */
export function renderDescribed(
  described: Described,
  configName: string,
  existing: ExistingText = () => null,
  check: OutputCheck = syntaxProblems,
): Result<Generated> {
  const files = renderFiles(described, configName, existing, check);
  if (!files.ok) return files;
  return ok({ ...described, files: files.value });
}

export function generateFromSource(source: ConfigSource, options: ResolveOptions = {}, existing?: ExistingText, render: RenderOptions = {}): Result<Generated> {
  const described = describeStack(source, options);
  if (!described.ok) return described;
  return renderDescribed(described.value, render.configName ?? source.file, existing);
}
