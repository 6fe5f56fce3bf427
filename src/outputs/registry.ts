// Every generated file, in the order it is written. Adding an output: one file in outputs/,
// one template in templates/, one line here, and golden files in examples/.
import { dockerCompose } from "./docker-compose.js";
import { envFile } from "./env-file.js";
import { gitignore } from "./gitignore.js";
import { librechatYaml } from "./librechat-yaml.js";
import type { OutputDefinition } from "./types.js";

export const OUTPUTS: readonly OutputDefinition[] = [dockerCompose, envFile, librechatYaml, gitignore];
