// Monitoring: Prometheus scrapes what exists (itself, node-exporter, cAdvisor, LibreChat's
// /metrics from v0.8.6 on, and what other modules offer: Traefik's); Grafana shows it through a
// provisioned datasource with a fixed uid. Ollama has no /metrics endpoint: cAdvisor's
// per-container CPU and memory cover it. Prometheus and Grafana run as their images' own users,
// with their data in named volumes (which start with the image's folder and its owner). On
// Kubernetes the kubelet already has each node's and each container's numbers, so neither
// node-exporter nor cAdvisor runs, and Prometheus finds LibreChat's pods by DNS (a headless
// Service): no ClusterRole needed.
import type { ResolvedConfig } from "../config/types.js";
import { PRIVATE_DIR } from "../layout.js";
import { headlessName, namespaceOf, LIBRECHAT_PORT, LOOPBACK, limits, longRunning, sortedEnv, wgetHealth } from "../stack/helpers.js";
import { CONTAINER_READABLE, fromSecret, secretValueFile } from "../stack/secret-files.js";
import { password } from "../stack/secret-specs.js";
import type { Mount, Notice, ScrapeJob, Service, Target } from "../stack/types.js";
import type { Wiring } from "../stack/wiring.js";
import type { Applied, ModuleContext } from "../stack/module.js";
import { defineModule } from "./module.js";

interface MonitoringModel {
  scrapeInterval: string;
  /** LibreChat serves /metrics (v0.8.6+): scraped, with a panel on the dashboard. */
  librechatMetrics: boolean;
  retention: string;
  jobs: ScrapeJob[];
  datasource: { uid: string; name: string; url: string };
  /** Compose project name: cAdvisor labels select this stack's containers by it. */
  project: string;
  /** Where dashboards JSON files are mounted inside Grafana. */
  dashboardsPath: string;
  grafanaUrl: string;
  prometheusUrl: string;
  /** Kubernetes: Grafana and Prometheus are reached through `kubectl port-forward` (the Ingress routes LibreChat only). */
  portForward?: { grafana: string; prometheus: string };
  /** Where Ollama's CPU and memory are seen: cAdvisor on Compose; on a cluster this Prometheus has
   * no ClusterRole to read the kubelet, so the cluster's own monitoring has them. */
  ollamaUsage: string;
}

declare module "../stack/types.js" {
  interface ModuleModels {
    monitoring?: MonitoringModel;
  }
}

const PROMETHEUS_PORT = 9090;
const GRAFANA_PORT = 3000;
const NODE_EXPORTER_PORT = 9100;
const CADVISOR_PORT = 8080;

const METRICS_TOKEN_FILE = `${PRIVATE_DIR}/metrics-token`;
const GRAFANA_PASSWORD_FILE = `${PRIVATE_DIR}/grafana-admin-password`;
const GRAFANA_PASSWORD_TARGET = "/run/secrets/grafana-admin-password";
const DASHBOARDS_PATH = "/etc/grafana/dashboards";
/** Prometheus' and Grafana's files are the same on either target. */
const BOTH = ["compose", "kubernetes"] as const;
/** The users the images run as: Prometheus' nobody, Grafana's grafana. */
const NOBODY = 65534;
const GRAFANA_USER = 472;

const bind = (source: string, target: string): Mount => ({ kind: "bind", source, target, readOnly: true });

/** Where prometheus.yml and the token sit, on the host and in the container: the token's path is
 * relative to prometheus.yml and the same from both. Compose mounts ./prometheus at
 * /etc/prometheus and the token at /etc/secrets/metrics-token; Kubernetes mounts the config's
 * ConfigMap at /llm/kubernetes/config/prometheus and the token at /llm/secrets/metrics-token, the
 * output folder's own layout (kubernetes/config/prometheus/prometheus.yml beside secrets/). */
const PROMETHEUS_LAYOUT = {
  compose: { configDir: "/etc/prometheus", token: `/etc/${METRICS_TOKEN_FILE}`, tokenFromConfig: `../${METRICS_TOKEN_FILE}` },
  kubernetes: { configDir: "/llm/kubernetes/config/prometheus", token: `/llm/${METRICS_TOKEN_FILE}`, tokenFromConfig: `../../../${METRICS_TOKEN_FILE}` },
} as const;

function scrapeJobs(wiring: Wiring, librechatMetrics: boolean, offered: readonly ScrapeJob[], target: Target): ScrapeJob[] {
  const jobs: ScrapeJob[] = [
    ...(target === "compose"
      ? [
          { job: "cadvisor", targets: [`cadvisor:${CADVISOR_PORT}`] },
          { job: "node-exporter", targets: [`node-exporter:${NODE_EXPORTER_PORT}`] },
        ]
      : []),
    { job: "prometheus", targets: [`localhost:${PROMETHEUS_PORT}`] },
  ];
  // LibreChat serves /metrics (v0.8.6+) only to a bearer token equal to its METRICS_SECRET; before,
  // the path answers with the web app's HTML, so there is nothing to scrape. The token's path is
  // relative to prometheus.yml: the file sits in the same place relative to it on the host
  // (./secrets/metrics-token) and in the container (/etc/secrets/metrics-token).
  if (librechatMetrics)
    jobs.push({
      job: "librechat",
      targets: target === "compose" ? wiring.librechat.map((name) => `${name}:${LIBRECHAT_PORT}`).sort() : [],
      ...(target === "kubernetes" ? { dns: { name: headlessName("librechat"), port: LIBRECHAT_PORT } } : {}),
      metricsPath: "/metrics",
      bearerTokenFile: PROMETHEUS_LAYOUT[target].tokenFromConfig,
    });
  jobs.push(...offered);
  return jobs.sort((a, b) => (a.job < b.job ? -1 : 1));
}

/** node-exporter's collectors that describe network interfaces and sockets: inside the stack's
 * network they would report the container's, not the host's, so they are off (host networking
 * would publish node-exporter's port on every interface of the host). */
const NETWORK_COLLECTORS = ["arp", "bonding", "conntrack", "ipvs", "netclass", "netdev", "netstat", "sockstat", "softnet", "udp_queues"];

function addMonitoring(wiring: Wiring, { config, release, offers, publicUrl, target }: ModuleContext): Applied<MonitoringModel> {
  const m = config.monitoring;
  const grafanaUrl = publicUrl("grafana", `http://localhost:${m.grafana.port}/`);
  const prometheusUrl = publicUrl("prometheus", `http://localhost:${m.prometheus.port}/`);
  const p = m.prometheus;
  const g = m.grafana;
  const n = m.nodeExporter;
  const c = m.cadvisor;
  const retention = m.retention;
  const layout = PROMETHEUS_LAYOUT[target];

  const prometheus = longRunning({
    name: "prometheus",
    summary: `Prometheus: scrapes the stack every ${m.scrapeInterval}, keeps ${retention}`,
    image: p.image,
    command: [`--config.file=${layout.configDir}/prometheus.yml`, "--storage.tsdb.path=/prometheus", `--storage.tsdb.retention.time=${retention}`],
    ports: [{ hostIp: LOOPBACK, hostPort: p.port, containerPort: PROMETHEUS_PORT }],
    mounts: [
      bind("./prometheus", layout.configDir),
      ...(release.metrics ? [bind(`./${METRICS_TOKEN_FILE}`, layout.token)] : []),
      // The image's /prometheus belongs to its `nobody`; a named volume starts with that owner.
      { kind: "volume", source: "prometheus-data", target: "/prometheus", readOnly: false },
    ],
    healthcheck: wgetHealth(`http://127.0.0.1:${PROMETHEUS_PORT}/-/healthy`, "20s"),
    listens: [{ name: "http", port: PROMETHEUS_PORT }],
    fsGroup: NOBODY,
    limits: limits(p.memory, p.cpus),
  });
  const grafana = longRunning({
    name: "grafana",
    summary: `Grafana on ${grafanaUrl} (user admin, password GRAFANA_ADMIN_PASSWORD in secrets.env)`,
    image: g.image,
    environment: sortedEnv({
      GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
      GF_ANALYTICS_REPORTING_ENABLED: "false",
      GF_SECURITY_ADMIN_PASSWORD__FILE: GRAFANA_PASSWORD_TARGET,
      GF_SECURITY_ADMIN_USER: "admin",
      GF_SERVER_ROOT_URL: grafanaUrl,
      GF_USERS_ALLOW_SIGN_UP: "false",
    }),
    ports: [{ hostIp: LOOPBACK, hostPort: g.port, containerPort: GRAFANA_PORT }],
    mounts: [
      bind("./grafana/provisioning", "/etc/grafana/provisioning"),
      bind("./grafana/dashboards", DASHBOARDS_PATH),
      bind(`./${GRAFANA_PASSWORD_FILE}`, GRAFANA_PASSWORD_TARGET),
      // /var/lib/grafana belongs to the image's user 472; a named volume starts with that owner.
      { kind: "volume", source: "grafana-data", target: "/var/lib/grafana", readOnly: false },
    ],
    healthcheck: wgetHealth(`http://127.0.0.1:${GRAFANA_PORT}/api/health`, "30s"),
    listens: [{ name: "http", port: GRAFANA_PORT }],
    fsGroup: GRAFANA_USER,
    dependsOn: [{ service: "prometheus", condition: "service_healthy" }],
    limits: limits(g.memory, g.cpus),
  });
  const nodeExporter = longRunning({
    name: "node-exporter",
    summary: "node-exporter: the host's CPU, memory and disks (internal only; network collectors off)",
    image: n.image,
    // As its README runs it (--pid=host, / at /host with rslave, --path.rootfs=/host), but on the
    // stack's network rather than the host's: see NETWORK_COLLECTORS.
    command: ["--path.rootfs=/host", ...NETWORK_COLLECTORS.map((name) => `--no-collector.${name}`)],
    pid: "host",
    mounts: [{ kind: "bind", source: "/", target: "/host", readOnly: true, propagation: "rslave" }],
    healthcheck: wgetHealth(`http://127.0.0.1:${NODE_EXPORTER_PORT}/`, "10s"),
    limits: limits(n.memory, n.cpus),
  });
  const cadvisor = longRunning({
    name: "cadvisor",
    summary: "cAdvisor: CPU and memory of each container, labelled by compose service (internal only)",
    image: c.image,
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

  const warnings: Notice[] = release.metrics
    ? []
    : [
        {
          path: "librechat.image",
          message: `LibreChat ${release.version} has no /metrics (it came in v0.8.6): Prometheus does not scrape LibreChat, and the dashboard has no LibreChat panel`,
          hint: "use LibreChat v0.8.6 or later",
        },
      ];
  // Prometheus scrapes LibreChat: on Kubernetes its NetworkPolicy must let it in, and each pod
  // needs a DNS name.
  const scraped = (service: Service): Service =>
    release.metrics && wiring.librechat.includes(service.name)
      ? { ...service, clients: [...(service.clients ?? []), "prometheus"], ...(target === "kubernetes" ? { podsDiscovered: true } : {}) }
      : service;
  const added = target === "compose" ? [prometheus, grafana, nodeExporter, cadvisor] : [prometheus, grafana];
  return {
    wiring: { ...wiring, services: [...wiring.services.map(scraped), ...added] },
    model: {
      scrapeInterval: m.scrapeInterval,
      retention,
      jobs: scrapeJobs(wiring, release.metrics, offers.metrics, target),
      librechatMetrics: release.metrics,
      datasource: { uid: "prometheus", name: "Prometheus", url: `http://prometheus:${PROMETHEUS_PORT}` },
      project: config.name,
      dashboardsPath: DASHBOARDS_PATH,
      grafanaUrl,
      ollamaUsage:
        target === "compose"
          ? "its CPU and memory come from cAdvisor."
          : "its CPU and memory are the kubelet's (kubectl top pods), which this Prometheus has no ClusterRole to read.",
      prometheusUrl,
      ...(target === "kubernetes"
        ? {
            portForward: {
              grafana: `kubectl -n ${namespaceOf(config)} port-forward svc/grafana ${m.grafana.port}:${GRAFANA_PORT}`,
              prometheus: `kubectl -n ${namespaceOf(config)} port-forward svc/prometheus ${m.prometheus.port}:${PROMETHEUS_PORT}`,
            },
          }
        : {}),
    },
    // Read by Prometheus' nobody and Grafana's 472 inside their containers.
    privateFiles: [
      ...(release.metrics ? [secretValueFile("metrics-token", "METRICS_SECRET", CONTAINER_READABLE)] : []),
      secretValueFile("grafana-admin-password", "GRAFANA_ADMIN_PASSWORD", CONTAINER_READABLE),
    ],
    librechatSecrets: release.metrics ? [fromSecret("METRICS_SECRET")] : [],
    warnings,
  };
}

/** Prometheus and Grafana publish on 127.0.0.1 (unless a module publishes every port itself). */
function ports(config: ResolvedConfig) {
  return [
    { path: "monitoring.prometheus.port", port: config.monitoring.prometheus.port },
    { path: "monitoring.grafana.port", port: config.monitoring.grafana.port },
  ];
}

export const monitoring = defineModule({
  name: "monitoring",
  example: { monitoring: { enabled: true } },
  ports,
  offers: () => ({
    webUis: [
      { name: "grafana", url: `http://grafana:${GRAFANA_PORT}` },
      { name: "prometheus", url: `http://prometheus:${PROMETHEUS_PORT}` },
    ],
  }),
  apply: addMonitoring,
  onlyOnCompose: [
    {
      path: "monitoring.nodeExporter",
      onKubernetes: "node-exporter does not run on a cluster; the kubelet serves the nodes' numbers",
      hint: "remove monitoring.nodeExporter",
    },
    {
      path: "monitoring.cadvisor",
      onKubernetes: "cAdvisor does not run on a cluster; the kubelet serves the containers' numbers",
      hint: "remove monitoring.cadvisor",
    },
  ],
  secrets: [
    password("METRICS_SECRET", 48, 16),
    password("GRAFANA_ADMIN_PASSWORD", 24, 12, {
      rotationWarning: "Grafana keeps the password it was first started with; change it in Grafana too (`grafana cli admin reset-admin-password`).",
    }),
  ],
  outputs: [
    {
      path: "prometheus/prometheus.yml",
      targets: BOTH,
      template: "prometheus.yml",
      syntax: "yaml",
      view: (model, { header }) => ({
        header,
        ollamaUsage: model.ollamaUsage,
        scrapeInterval: model.scrapeInterval,
        scrapeConfigs: model.jobs.map((job) => ({
          job_name: job.job,
          ...(job.metricsPath ? { metrics_path: job.metricsPath } : {}),
          ...(job.bearerTokenFile ? { authorization: { type: "Bearer", credentials_file: job.bearerTokenFile } } : {}),
          ...(job.dns ? { dns_sd_configs: [{ names: [job.dns.name], type: "A", port: job.dns.port }] } : { static_configs: [{ targets: job.targets }] }),
        })),
      }),
    },
    {
      path: "grafana/provisioning/datasources/prometheus.yml",
      targets: BOTH,
      template: "grafana-datasource.yml",
      syntax: "yaml",
      view: (model, { header }) => ({
        header,
        datasources: [
          {
            name: model.datasource.name,
            uid: model.datasource.uid,
            type: "prometheus",
            access: "proxy",
            url: model.datasource.url,
            isDefault: true,
            editable: false,
            jsonData: { timeInterval: model.scrapeInterval },
          },
        ],
      }),
    },
    {
      path: "grafana/provisioning/dashboards/local-llm-stack.yml",
      targets: BOTH,
      template: "grafana-dashboards.yml",
      syntax: "yaml",
      view: (model, { header }) => ({
        header,
        providers: [
          {
            name: "local-llm-stack",
            orgId: 1,
            folder: "LLM stack",
            type: "file",
            disableDeletion: true,
            allowUiUpdates: false,
            updateIntervalSeconds: 30,
            options: { path: model.dashboardsPath },
          },
        ],
      }),
    },
    {
      path: "grafana/dashboards/llm-stack.json",
      targets: BOTH,
      template: "grafana-dashboard.json",
      syntax: "json",
      view: (model, { header }) => ({
        // JSON has no comments: the "generated" notice goes into the dashboard's description.
        description: header.replace(/^# /, ""),
        datasourceUid: model.datasource.uid,
        // LibreChat's own panel only where Prometheus scrapes it (v0.8.6+ serves /metrics).
        librechatMetrics: model.librechatMetrics,
        project: model.project,
      }),
    },
  ],
  nextSteps: (model) => [
    `Grafana: ${model.portForward ? `\`${model.portForward.grafana}\`, then ` : ""}${model.grafanaUrl} (user admin, password GRAFANA_ADMIN_PASSWORD in secrets.env)`,
    `Prometheus: ${model.portForward ? `\`${model.portForward.prometheus}\`, then ` : ""}${model.prometheusUrl} (no login of its own)`,
  ],
});
