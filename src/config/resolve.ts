// Stage 1: a config file's data (unknown) → a complete, validated config with provenance.
// Order of layers: built-in defaults < presets in listed order < the user's file < --set overrides.
import { LlmError, type Diagnostic, type Result, fail, ok } from "../errors.js";
import { defaultsLayer, findPreset, presetNames, type Preset } from "./presets.js";
import { presetOverrides, type PresetOverride } from "./preset-overrides.js";
import { layerOf, mergeLayers, type Layer, type Merged } from "./merge.js";
import { describeValue } from "./diagnose.js";
import { plainData } from "./plain-data.js";
import { checkLayer, checkResolved, deletedDefaults } from "./validate.js";
import { checkSemantics } from "./semantics.js";
import { appendPath, getAt } from "../util/json-path.js";
import type { ResolvedConfig } from "./types.js";

export interface ConfigSource {
  /** Relative path shown in diagnostics, e.g. "llm.config.ts". */
  file: string;
  data: unknown;
}

export interface ResolveOptions {
  /** `--set path=value` overrides, already parsed into a layer. */
  overrides?: Record<string, unknown>;
  /** Presets to use instead of the file's `presets` list (for `llm diff --preset`). */
  presets?: string[];
  /** `--target`: this run is about one target only; the other target's files are left alone. */
  target?: "compose" | "kubernetes";
}

/** Rules over the merged config that live above this layer (the stack's and the optional
 * modules'), passed in. `declaredTargets`: the config's own, whatever --target narrowed the run to
 * (a rule about one target's files judges the config whenever it declares that target). */
export type ConfigRule = (config: ResolvedConfig, merged: Merged, fileOf: (path: string) => string, declaredTargets: ResolvedConfig["targets"]) => Diagnostic[];

export interface Resolution {
  /** Every value the defaults set is present (checked here), so the stack reads it as is. */
  config: ResolvedConfig;
  presets: string[];
  merged: Merged;
  /** Set by `--target`: `config.targets` holds only it, and the folder's files of the other
   * targets are neither written nor removed. */
  onlyTarget?: "compose" | "kubernetes";
  /** The config's own targets, whatever `--target` narrowed the run to: the secrets are shared,
   * so what a lost one guards is judged over all of them. */
  declaredTargets: ResolvedConfig["targets"];
  /** Warnings: a later preset changes what an earlier one exists to set. */
  presetOverrides: PresetOverride[];
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function invalid(diagnostics: Diagnostic[], code: "CONFIG_INVALID" | "PRESET_UNKNOWN" | "PRESET_CONFLICT" = "CONFIG_INVALID"): Result<never> {
  const files = [...new Set(diagnostics.map((d) => d.file))].join(", ");
  const count = diagnostics.length;
  return fail(
    new LlmError(code, `${files} has ${count} problem${count === 1 ? "" : "s"}`, {
      diagnostics,
      hint: "fix the values above and run the command again; `llm validate` checks without writing",
    }),
  );
}

export function resolveConfig(input: ConfigSource, inputOptions: ResolveOptions = {}, rules?: ConfigRule): Result<Resolution> {
  // Everything below walks the values recursively: bound them first (cycles, depth, size).
  const data = plainData(input.data, input.file);
  if (!data.ok) return invalid([data.problem]);
  const source = { file: input.file, data: data.value };
  const options = { ...inputOptions };
  if (inputOptions.overrides) {
    const overrides = plainData(inputOptions.overrides, "--set");
    if (!overrides.ok) return invalid([overrides.problem]);
    options.overrides = overrides.value as Record<string, unknown>;
  }
  if (!isMap(source.data)) {
    return invalid([
      {
        file: source.file,
        path: "",
        message: `expected the config to be an object, found ${Array.isArray(source.data) ? "a list" : describeValue(source.data)}`,
        hint: "export default defineConfig({ ... })",
      },
    ]);
  }
  // concat, not push(...): a layer can have 200,000 problems, too many to spread into arguments.
  const diagnostics = checkLayer(source.data, source.file).concat(options.overrides ? checkLayer(options.overrides, "--set") : []);
  if (diagnostics.length > 0) {
    const onlyPresets = diagnostics.every((d) => d.path.startsWith("presets["));
    return invalid(diagnostics, onlyPresets ? "PRESET_UNKNOWN" : "CONFIG_INVALID");
  }

  const chosen = options.presets ?? (source.data["presets"] as string[] | undefined) ?? [];
  const layers: Layer[] = [];
  const presets: Preset[] = [];
  const defaults = defaultsLayer();
  layers.push({ source: "defaults", file: defaults.file, values: defaults.values as Record<string, unknown> });
  for (const name of chosen) {
    const preset = findPreset(name);
    if (!preset) {
      return invalid(
        [
          {
            file: options.presets ? "--preset" : source.file,
            path: "presets",
            message: `unknown preset ${JSON.stringify(name)}; expected one of ${presetNames().join(", ")}`,
          },
        ],
        "PRESET_UNKNOWN",
      );
    }
    // Presets are embedded at build time; test/stack-rules.test.ts checks each against the
    // schema, so they are not validated again on every run.
    layers.push({ source: `preset ${name}`, file: preset.file, values: preset.values as Record<string, unknown> });
    presets.push(preset);
  }
  const conflict = gpuConflict(layers, options.presets ? "--preset" : source.file);
  if (conflict) return invalid([conflict], "PRESET_CONFLICT");

  const { presets: _listed, ...userValues } = source.data;
  layers.push({ source: source.file, file: source.file, values: userValues });
  if (options.overrides) layers.push({ source: "--set", file: "--set", values: options.overrides });
  // A list replaces a list when layers merge: the last layer that names targets decides.
  const declaredTargets = ([...layers].reverse().find((layer) => Array.isArray(layer.values["targets"]))?.values["targets"] ?? [
    "compose",
  ]) as ResolvedConfig["targets"];
  if (options.target) layers.push({ source: "--target", file: "--target", values: { targets: [options.target] } });

  const merged = mergeLayers(layers);
  merged.value["presets"] = [...chosen];
  const fileOf = (path: string) => layerOf(merged, path)?.file ?? source.file;
  const resolvedProblems = checkResolved(merged.value, fileOf);
  for (const path of deletedDefaults(merged.value, defaults.values as Record<string, unknown>)) {
    resolvedProblems.push(deletedDefault(path, merged, defaults.values as Record<string, unknown>, source.file));
  }
  if (resolvedProblems.length > 0) return invalid(resolvedProblems);

  const config = merged.value as unknown as ResolvedConfig;
  const semantic = [...checkSemantics(config, merged, fileOf), ...(rules?.(config, merged, fileOf, declaredTargets) ?? [])];
  if (semantic.length > 0) return invalid(semantic);
  return ok({
    config,
    presets: [...chosen],
    merged,
    declaredTargets,
    presetOverrides: presetOverrides(presets),
    ...(options.target ? { onlyTarget: options.target } : {}),
  });
}

/** A value only the defaults set, deleted by a layer's `null`: named with that layer (the null may
 * sit on the value itself or on a map around it, `ollama: null`) and the default it removed. The
 * path is shown as `--set` takes it (dots, `kubernetes.storage.sizes.librechat-uploads`). */
function deletedDefault(segments: readonly string[], merged: Merged, defaults: Record<string, unknown>, configFile: string): Diagnostic {
  const path = segments.join(".");
  // The merge records deletions under their JSON-path names (appendPath).
  const prefixes = segments.map((_, i) => segments.slice(0, segments.length - i));
  const found = prefixes.find((prefix) => merged.deleted.has(prefix.reduce<string>((p, s) => appendPath(p, s), "")));
  const at = found?.join(".");
  const layer = found === undefined ? undefined : merged.deleted.get(found.reduce<string>((p, s) => appendPath(p, s), ""));
  const fallback = getAt(defaults, `/${segments.join("/")}`);
  const shown = fallback === undefined || (typeof fallback === "object" && fallback !== null) ? "" : ` (the built-in default is ${JSON.stringify(fallback)})`;
  const by = !layer ? "a null" : layer.source === "--set" ? `--set ${at}=null` : at === path ? `null in ${layer.source}` : `${at}: null in ${layer.source}`;
  return {
    file: layer?.file ?? configFile,
    path,
    message: `${by} deletes a value only the defaults set${shown}, and the stack needs one`,
    hint: `give ${path} a value, or remove the null to keep the default`,
  };
}

/** Two presets that each choose Ollama's hardware cannot both apply. */
function gpuConflict(layers: readonly Layer[], file: string): Diagnostic | undefined {
  const choosers = layers.filter(
    (layer) => layer.source.startsWith("preset ") && isMap(layer.values["ollama"]) && isMap((layer.values["ollama"] as Record<string, unknown>)["gpu"]),
  );
  const vendors = new Set(choosers.map((layer) => ((layer.values["ollama"] as Record<string, Record<string, unknown>>)["gpu"] ?? {})["vendor"]));
  if (vendors.size <= 1) return undefined;
  const names = choosers.map((layer) => layer.source.replace(/^preset /, ""));
  return {
    file,
    path: "presets",
    message: `presets ${names.join(" and ")} each choose Ollama's hardware (ollama.gpu.vendor); they cannot be combined`,
    hint: `keep one of ${names.join(", ")}; low-ram combines with any of them`,
  };
}
