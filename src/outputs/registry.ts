// Every generated file, in the order it is written: the core's, then each module's (written
// only while its module is on). Adding an output: one file in outputs/ (or an entry in its
// module's `outputs`), one template in templates/, one line here, and golden files in examples/.
import { MODULES } from "../modules/registry.js";
import type { ModuleDefinition } from "../modules/module.js";
import { dockerCompose } from "./docker-compose.js";
import { envFile } from "./env-file.js";
import { gitignore } from "./gitignore.js";
import { librechatYaml } from "./librechat-yaml.js";
import { header, type OutputDefinition } from "./types.js";

const CORE: readonly OutputDefinition[] = [dockerCompose, envFile, librechatYaml, gitignore];

/** A module's outputs, rendered from its model while it is on. */
function outputsOf(module: ModuleDefinition): OutputDefinition[] {
  return module.outputs.map((output) => ({
    path: output.path,
    template: output.template,
    syntax: output.syntax,
    applies: (stack) => (stack.modules as Record<string, unknown>)[module.name] !== undefined,
    view: ({ stack, configFile }) => output.view((stack.modules as Record<string, unknown>)[module.name] as never, { header: header(configFile), configFile }),
  }));
}

export const OUTPUTS: readonly OutputDefinition[] = [...CORE, ...MODULES.flatMap(outputsOf)];
