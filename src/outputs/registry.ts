// Every generated file, in the order it is written. Adding an output: one file in outputs/,
// one template in templates/, one line here, and golden files in examples/.
import { dockerCompose } from "./docker-compose.js";
import { envFile } from "./env-file.js";
import { gitignore } from "./gitignore.js";
import { grafanaDashboard, grafanaDashboardProvider, grafanaDatasource } from "./grafana.js";
import { librechatYaml } from "./librechat-yaml.js";
import { nginxConf } from "./nginx.js";
import { prometheusConfig } from "./prometheus.js";
import { traefikDynamic, traefikStatic } from "./traefik.js";
import type { OutputDefinition } from "./types.js";

export const OUTPUTS: readonly OutputDefinition[] = [
  dockerCompose,
  envFile,
  librechatYaml,
  gitignore,
  prometheusConfig,
  grafanaDatasource,
  grafanaDashboardProvider,
  grafanaDashboard,
  traefikStatic,
  traefikDynamic,
  nginxConf,
];
