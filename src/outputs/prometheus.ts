import { moduleOf } from "./module.js";
import { header, type OutputDefinition } from "./types.js";

export const prometheusConfig: OutputDefinition = {
  path: "prometheus/prometheus.yml",
  template: "prometheus.yml",
  syntax: "yaml",
  applies: (stack) => stack.modules.monitoring !== undefined,
  view: ({ stack, configFile }) => {
    const monitoring = moduleOf(stack, "monitoring");
    return {
      header: header(configFile),
      scrapeInterval: monitoring.scrapeInterval,
      scrapeConfigs: monitoring.jobs.map((job) => ({
        job_name: job.job,
        ...(job.metricsPath ? { metrics_path: job.metricsPath } : {}),
        ...(job.bearerTokenFile ? { authorization: { type: "Bearer", credentials_file: job.bearerTokenFile } } : {}),
        static_configs: [{ targets: job.targets }],
      })),
    };
  },
};
