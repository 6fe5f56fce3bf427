// Monitoring: Prometheus scrapes what exists (itself, node-exporter, cAdvisor, LibreChat's
// /metrics, Traefik's when present); Grafana shows it through a provisioned datasource with a fixed
// uid. Ollama has no /metrics endpoint: cAdvisor's per-container CPU and memory cover it.
import type { LlmConfig } from "../../config/types.js";
import { PRIVATE_DIR } from "../../secrets/catalog.js";
import { LIBRECHAT_PORT, LOOPBACK, limits, longRunning, need, sortedEnv, wgetHealth } from "../helpers.js";
import type { MonitoringModule, Mount, PrivateFile, ScrapeJob } from "../types.js";
import type { Wiring } from "./wiring.js";

export const PROMETHEUS_PORT = 9090;
export const GRAFANA_PORT = 3000;
const NODE_EXPORTER_PORT = 9100;
const CADVISOR_PORT = 8080;
export const TRAEFIK_INTERNAL_PORT = 8080;

export const METRICS_TOKEN_FILE = `${PRIVATE_DIR}/metrics-token`;
const GRAFANA_PASSWORD_FILE = `${PRIVATE_DIR}/grafana-admin-password`;
const GRAFANA_PASSWORD_TARGET = "/run/secrets/grafana-admin-password";
const DASHBOARDS_PATH = "/etc/grafana/dashboards";

const bind = (source: string, target: string, readOnly = true): Mount => ({ kind: "bind", source, target, readOnly });

function scrapeJobs(config: LlmConfig, wiring: Wiring): ScrapeJob[] {
  const jobs: ScrapeJob[] = [
    { job: "cadvisor", targets: [`cadvisor:${CADVISOR_PORT}`] },
    // LibreChat serves /metrics only to a bearer token equal to its METRICS_SECRET. The path is
    // relative to prometheus.yml: the token file sits in the same place relative to it on the host
    // (./secrets/metrics-token) and in the container (/etc/secrets/metrics-token).
    {
      job: "librechat",
      targets: wiring.librechat.map((name) => `${name}:${LIBRECHAT_PORT}`).sort(),
      metricsPath: "/metrics",
      bearerTokenFile: `../${METRICS_TOKEN_FILE}`,
    },
    { job: "node-exporter", targets: [`node-exporter:${NODE_EXPORTER_PORT}`] },
    { job: "prometheus", targets: [`localhost:${PROMETHEUS_PORT}`] },
  ];
  if (config.security?.enabled) jobs.push({ job: "traefik", targets: [`traefik:${TRAEFIK_INTERNAL_PORT}`] });
  return jobs;
}

export function grafanaUrl(config: LlmConfig): string {
  const security = config.security;
  if (security?.enabled) return `https://${security.grafanaDomain ?? `grafana.${need(security.domain, "security.domain")}`}/`;
  return `http://localhost:${need(config.monitoring?.grafana?.port, "monitoring.grafana.port")}/`;
}

export function addMonitoring(config: LlmConfig, wiring: Wiring): { wiring: Wiring; module: MonitoringModule; privateFiles: PrivateFile[] } {
  const m = need(config.monitoring, "monitoring");
  const p = need(m.prometheus, "monitoring.prometheus");
  const g = need(m.grafana, "monitoring.grafana");
  const n = need(m.nodeExporter, "monitoring.nodeExporter");
  const c = need(m.cadvisor, "monitoring.cadvisor");
  const retention = need(m.retention, "monitoring.retention");

  const prometheus = longRunning({
    name: "prometheus",
    summary: `Prometheus: scrapes the stack every ${need(m.scrapeInterval, "monitoring.scrapeInterval")}, keeps ${retention}`,
    image: need(p.image, "monitoring.prometheus.image"),
    command: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", `--storage.tsdb.retention.time=${retention}`],
    ports: [{ hostIp: LOOPBACK, hostPort: need(p.port, "monitoring.prometheus.port"), containerPort: PROMETHEUS_PORT }],
    mounts: [
      bind("./prometheus", "/etc/prometheus"),
      bind(`./${METRICS_TOKEN_FILE}`, `/etc/${METRICS_TOKEN_FILE}`),
      bind("./data/prometheus", "/prometheus", false),
    ],
    healthcheck: wgetHealth(`http://127.0.0.1:${PROMETHEUS_PORT}/-/healthy`, "20s"),
    limits: limits(p.memory, p.cpus),
    // Docker creates a missing ./data/prometheus as root, which the image's `nobody` cannot
    // write; root also reads the 0600 token file.
    user: "0:0",
  });
  const grafana = longRunning({
    name: "grafana",
    summary: `Grafana on ${grafanaUrl(config)} (user admin, password GRAFANA_ADMIN_PASSWORD in secrets.env)`,
    image: need(g.image, "monitoring.grafana.image"),
    environment: sortedEnv({
      GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
      GF_ANALYTICS_REPORTING_ENABLED: "false",
      GF_SECURITY_ADMIN_PASSWORD__FILE: GRAFANA_PASSWORD_TARGET,
      GF_SECURITY_ADMIN_USER: "admin",
      GF_SERVER_ROOT_URL: grafanaUrl(config),
      GF_USERS_ALLOW_SIGN_UP: "false",
    }),
    ports: [{ hostIp: LOOPBACK, hostPort: need(g.port, "monitoring.grafana.port"), containerPort: GRAFANA_PORT }],
    mounts: [
      bind("./grafana/provisioning", "/etc/grafana/provisioning"),
      bind("./grafana/dashboards", DASHBOARDS_PATH),
      bind(`./${GRAFANA_PASSWORD_FILE}`, GRAFANA_PASSWORD_TARGET),
      bind("./data/grafana", "/var/lib/grafana", false),
    ],
    healthcheck: wgetHealth(`http://127.0.0.1:${GRAFANA_PORT}/api/health`, "30s"),
    dependsOn: [{ service: "prometheus", condition: "service_healthy" }],
    limits: limits(g.memory, g.cpus),
    // As for Prometheus: a root-owned ./data/grafana and a 0600 password file.
    user: "0:0",
  });
  const nodeExporter = longRunning({
    name: "node-exporter",
    summary: "node-exporter: the host's CPU, memory and disks (internal only)",
    image: need(n.image, "monitoring.nodeExporter.image"),
    command: ["--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--path.rootfs=/rootfs"],
    mounts: [bind("/proc", "/host/proc"), bind("/sys", "/host/sys"), bind("/", "/rootfs")],
    healthcheck: wgetHealth(`http://127.0.0.1:${NODE_EXPORTER_PORT}/`, "10s"),
    limits: limits(n.memory, n.cpus),
  });
  const cadvisor = longRunning({
    name: "cadvisor",
    summary: "cAdvisor: CPU and memory of each container, labelled by compose service (internal only)",
    image: need(c.image, "monitoring.cadvisor.image"),
    // Only the compose labels become Prometheus labels: enough to group by service, and few series.
    command: [
      "--docker_only=true",
      "--housekeeping_interval=15s",
      "--store_container_labels=false",
      "--whitelisted_container_labels=com.docker.compose.project,com.docker.compose.service",
    ],
    // The mounts and privileges cAdvisor's own instructions ask for.
    mounts: [
      bind("/", "/rootfs"),
      bind("/dev/disk", "/dev/disk"),
      bind("/sys", "/sys"),
      bind("/var/lib/docker", "/var/lib/docker"),
      bind("/var/run", "/var/run"),
    ],
    devices: ["/dev/kmsg"],
    healthcheck: wgetHealth(`http://127.0.0.1:${CADVISOR_PORT}/healthz`, "20s"),
    limits: limits(c.memory, c.cpus),
    privileged: true,
  });

  return {
    wiring: { ...wiring, services: [...wiring.services, prometheus, grafana, nodeExporter, cadvisor] },
    module: {
      scrapeInterval: need(m.scrapeInterval, "monitoring.scrapeInterval"),
      retention,
      jobs: scrapeJobs(config, wiring),
      datasource: { uid: "prometheus", name: "Prometheus", url: `http://prometheus:${PROMETHEUS_PORT}` },
      project: need(config.name, "name"),
      dashboardsPath: DASHBOARDS_PATH,
      grafanaUrl: grafanaUrl(config),
    },
    privateFiles: [
      { path: METRICS_TOKEN_FILE, secret: "METRICS_SECRET", format: "value" },
      { path: GRAFANA_PASSWORD_FILE, secret: "GRAFANA_ADMIN_PASSWORD", format: "value" },
    ],
  };
}
