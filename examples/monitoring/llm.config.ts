// Monitoring: Prometheus, Grafana (http://127.0.0.1:3000), node-exporter and cAdvisor beside the
// stack. Grafana's admin password is GRAFANA_ADMIN_PASSWORD in secrets.env.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu"],
  models: ["llama3.2:3b"],
  monitoring: { enabled: true, scrapeInterval: "30s", retention: "30d" },
});
