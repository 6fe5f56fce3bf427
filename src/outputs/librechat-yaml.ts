import type { Stack } from "../stack/types.js";
import { header, type OutputDefinition } from "./types.js";

function endpoints(stack: Stack, endpointName: string, titleModel: string) {
  const ollama = {
    name: endpointName,
    apiKey: "ollama",
    baseURL: stack.librechat.ollamaBaseURL,
    // Embedding models are pulled but not listed: Ollama refuses to chat with them.
    models: { default: stack.chatModels, fetch: true },
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
    // The pinned release's CONFIG_VERSION, as a string (a YAML number is rejected).
    version: stack.librechat.configVersion,
    endpoints: endpoints(stack, stack.librechat.ollamaEndpointName, stack.librechat.titleModel),
  }),
};
