import { header, type OutputDefinition } from "./types.js";

export const envFile: OutputDefinition = {
  path: ".env",
  template: "env",
  syntax: "env",
  applies: () => true,
  view: ({ stack, configFile }) => ({
    header: header(configFile),
    secretsFile: stack.secretsFile,
    metricsSecret: stack.secrets.includes("METRICS_SECRET"),
    entries: stack.appEnv.map((entry) => ({ key: entry.key, value: entry.value, comment: entry.comment ?? null })),
  }),
};
