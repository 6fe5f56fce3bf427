import { header, type OutputDefinition } from "./types.js";

export const envFile: OutputDefinition = {
  path: ".env",
  template: "env",
  syntax: "env",
  applies: () => true,
  view: ({ stack, configFile }) => ({
    header: header(configFile),
    secretsFile: stack.secretsFile,
    metricsSecret: stack.secrets.some((s) => s.name === "METRICS_SECRET"),
    privateEnv: stack.privateFiles.find((f) => f.content.kind === "env" && f.content.userSecrets)?.path ?? null,
    entries: stack.appEnv.map((entry) => ({ key: entry.key, value: entry.value, comment: entry.comment ?? null })),
  }),
};
