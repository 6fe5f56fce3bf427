// Grafana provisioning: a Prometheus datasource with a fixed uid, a file provider for dashboards,
// and one dashboard that refers to the datasource by that uid.
import { moduleOf } from "./module.js";
import { header, type OutputDefinition } from "./types.js";

const monitoringOn = (stack: Parameters<OutputDefinition["applies"]>[0]) => stack.modules.monitoring !== undefined;

export const grafanaDatasource: OutputDefinition = {
  path: "grafana/provisioning/datasources/prometheus.yml",
  template: "grafana-datasource.yml",
  syntax: "yaml",
  applies: monitoringOn,
  view: ({ stack, configFile }) => {
    const { datasource, scrapeInterval } = moduleOf(stack, "monitoring");
    return {
      header: header(configFile),
      datasources: [
        {
          name: datasource.name,
          uid: datasource.uid,
          type: "prometheus",
          access: "proxy",
          url: datasource.url,
          isDefault: true,
          editable: false,
          jsonData: { timeInterval: scrapeInterval },
        },
      ],
    };
  },
};

export const grafanaDashboardProvider: OutputDefinition = {
  path: "grafana/provisioning/dashboards/local-llm-stack.yml",
  template: "grafana-dashboards.yml",
  syntax: "yaml",
  applies: monitoringOn,
  view: ({ stack, configFile }) => ({
    header: header(configFile),
    providers: [
      {
        name: "local-llm-stack",
        orgId: 1,
        folder: "LLM stack",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: moduleOf(stack, "monitoring").dashboardsPath },
      },
    ],
  }),
};

export const grafanaDashboard: OutputDefinition = {
  path: "grafana/dashboards/llm-stack.json",
  template: "grafana-dashboard.json",
  syntax: "json",
  applies: monitoringOn,
  view: ({ stack, configFile }) => {
    const monitoring = moduleOf(stack, "monitoring");
    return {
      // JSON has no comments: the "generated" notice goes into the dashboard's description.
      description: header(configFile).replace(/^# /, ""),
      datasourceUid: monitoring.datasource.uid,
      // LibreChat's own panel only where Prometheus scrapes it (v0.8.6+ serves /metrics).
      librechatMetrics: monitoring.librechatMetrics,
      project: monitoring.project,
    };
  },
};
