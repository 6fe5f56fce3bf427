// Every generated file, in the order it is written: per target, the core's, then each module's
// (written only while its module is on); then the files every target shares. Adding an output:
// one file in outputs/<target>/ (or an entry in its module's `outputs`), one template in
// templates/, one line here, and golden files in examples/.
import { KUBERNETES_CONFIG_DIR, KUBERNETES_DIR } from "../layout.js";
import { MODULES } from "../modules/registry.js";
import type { ModuleDefinition } from "../modules/module.js";
import type { OutputSyntax } from "../render/engine.js";
import type { Stack, Target } from "../stack/types.js";
import { dockerCompose } from "./compose/docker-compose.js";
import { envFile } from "./compose/env-file.js";
import { gitattributes } from "./gitattributes.js";
import { gitignore } from "./gitignore.js";
import { kustomization } from "./kubernetes/kustomization.js";
import { namespace } from "./kubernetes/namespace.js";
import { networkPolicies } from "./kubernetes/network-policies.js";
import { workloads } from "./kubernetes/workloads.js";
import { librechatYaml } from "./librechat-yaml.js";
import { header, type OutputContext, type OutputDefinition, type OutputSet } from "./types.js";

const CORE: readonly OutputDefinition[] = [dockerCompose, envFile, librechatYaml, namespace, networkPolicies, kustomization];
const SETS: readonly OutputSet[] = [workloads];
const SHARED: readonly OutputDefinition[] = [gitignore, gitattributes];

/** One file as it is written for one target: its place, and how it is rendered. */
export interface PlacedOutput {
  path: string;
  template: string;
  syntax: OutputSyntax;
  managedBlock: boolean;
  target: Target | "shared";
  view: (context: OutputContext) => unknown;
}

/** Where a file laid out as for Compose goes for `target`: Kubernetes keeps configuration files
 * under kubernetes/config/ (its ConfigMaps are made of them) and its manifests under kubernetes/. */
function placed(path: string, target: Target): string {
  if (target === "compose" || path === "kustomization.yaml" || path.startsWith(`${KUBERNETES_DIR}/`)) return path;
  return `${KUBERNETES_CONFIG_DIR}/${path}`;
}

/** A module's outputs, rendered from its model while it is on. */
function outputsOf(module: ModuleDefinition): OutputDefinition[] {
  return module.outputs.map((output) => ({
    path: output.path,
    template: output.template,
    syntax: output.syntax,
    targets: output.targets ?? ["compose"],
    applies: (stack) => (stack.modules as Record<string, unknown>)[module.name] !== undefined,
    view: ({ stack, configFile }) => output.view((stack.modules as Record<string, unknown>)[module.name] as never, { header: header(configFile), configFile }),
  }));
}

const TARGETED: readonly OutputDefinition[] = [...CORE, ...MODULES.flatMap(outputsOf)];

/** The files of `stack`'s target that apply to it, in writing order. */
export function targetOutputs(stack: Stack, configFile: string): PlacedOutput[] {
  const fixed = TARGETED.filter((output) => output.targets !== "shared" && output.targets.includes(stack.target) && output.applies(stack)).map(
    (output): PlacedOutput => ({
      path: placed(output.path, stack.target),
      template: output.template,
      syntax: output.syntax,
      managedBlock: output.managedBlock === true,
      target: stack.target,
      view: output.view,
    }),
  );
  const fixedPaths = fixed.map((output) => output.path);
  const sets = SETS.filter((set) => set.target === stack.target).flatMap((set) =>
    set.files({ stack, configFile, files: fixedPaths }).map((file): PlacedOutput => ({
      path: file.path,
      template: set.template,
      syntax: set.syntax,
      managedBlock: false,
      target: stack.target,
      view: () => file.view,
    })),
  );
  return [...fixed, ...sets];
}

/** The files every target shares (.gitignore, .gitattributes), rendered once. */
export const sharedOutputs = (stack: Stack): PlacedOutput[] =>
  SHARED.filter((output) => output.applies(stack)).map((output) => ({
    path: output.path,
    template: output.template,
    syntax: output.syntax,
    managedBlock: output.managedBlock === true,
    target: "shared",
    view: output.view,
  }));

/** Files whose current text the rendering reads (a managed block keeps the user's lines). */
export const READS_EXISTING: readonly string[] = SHARED.filter((output) => output.managedBlock).map((output) => output.path);
