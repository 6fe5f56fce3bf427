import type { Stack } from "../stack/types.js";
import { header, type OutputDefinition } from "./types.js";

/** librechat.yaml schema version these files are written for (a string: numbers are rejected). */
export const LIBRECHAT_CONFIG_VERSION = "1.3.0";

function endpoints(stack: Stack, endpointName: string, titleModel: string) {
  const ollama = {
    name: endpointName,
    apiKey: "ollama",
    baseURL: stack.librechat.ollamaBaseURL,
    models: { default: stack.models, fetch: true },
    titleConvo: true,
    titleModel,
    modelDisplayLabel: endpointName,
  };
  return [ollama, ...stack.librechat.endpoints];
}

export const librechatYaml: OutputDefinition = {
  path: "librechat.yaml",
  template: "librechat.yaml",
  syntax: "yaml",
  applies: () => true,
  view: ({ stack, configFile }) => ({
    header: header(configFile),
    version: LIBRECHAT_CONFIG_VERSION,
    endpoints: endpoints(stack, stack.librechat.ollamaEndpointName, stack.librechat.titleModel),
  }),
};
