// Security: Traefik v3 terminates HTTPS and becomes the only service with published ports.
// Admin UIs (Grafana, Prometheus) get basic auth whose bcrypt hash lives in a gitignored file.
import type { LlmConfig } from "../../config/types.js";
import { PRIVATE_DIR } from "../../secrets/catalog.js";
import { health, limits, longRunning, need } from "../helpers.js";
import type { PrivateFile, Route, SecurityModule } from "../types.js";
import { GRAFANA_PORT, PROMETHEUS_PORT, TRAEFIK_INTERNAL_PORT } from "./monitoring.js";
import type { Wiring } from "./wiring.js";

const LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
const USERS_FILE = `${PRIVATE_DIR}/traefik-users`;
const USERS_TARGET = "/run/secrets/traefik-users";

export function adminHost(config: LlmConfig, ui: "grafana" | "prometheus"): string {
  const s = need(config.security, "security");
  const chosen = ui === "grafana" ? s.grafanaDomain : s.prometheusDomain;
  return chosen ?? `${ui}.${need(s.domain, "security.domain")}`;
}

export function secure(config: LlmConfig, wiring: Wiring, monitoring: boolean): { wiring: Wiring; module: SecurityModule; privateFiles: PrivateFile[] } {
  const s = need(config.security, "security");
  const domain = need(s.domain, "security.domain");
  const routes: Route[] = [{ name: "librechat", host: domain, servers: [wiring.chatEntry.url], adminAuth: false }];
  if (monitoring) {
    routes.push(
      { name: "grafana", host: adminHost(config, "grafana"), servers: [`http://grafana:${GRAFANA_PORT}`], adminAuth: true },
      { name: "prometheus", host: adminHost(config, "prometheus"), servers: [`http://prometheus:${PROMETHEUS_PORT}`], adminAuth: true },
    );
  }
  const adminAuth = routes.some((route) => route.adminAuth);
  const letsEncrypt = need(s.certificates, "security.certificates") === "letsencrypt";
  const traefikConfig = need(s.traefik, "security.traefik");
  const traefik = longRunning({
    name: "traefik",
    summary: `Traefik: HTTPS for ${domain}${letsEncrypt ? " (Let's Encrypt)" : " (self-signed)"}; the only service that publishes ports`,
    image: need(traefikConfig.image, "security.traefik.image"),
    // Let's Encrypt must reach port 80 for the HTTP challenge, so that mode listens on every
    // interface; a self-signed stack stays on bindAddress (127.0.0.1 unless the user widens it).
    ports: [80, 443].map((port) => ({
      ...(letsEncrypt ? {} : { hostIp: need(config.bindAddress, "bindAddress") }),
      hostPort: port,
      containerPort: port,
    })),
    mounts: [
      // /etc/traefik/traefik.yml is where Traefik (and `traefik healthcheck`) look for the static
      // config; a folder mount sees dynamic.yml's atomic replacement, so routes reload live.
      { kind: "bind", source: "./traefik", target: "/etc/traefik", readOnly: true },
      { kind: "bind", source: "./data/traefik", target: "/data", readOnly: false },
      ...(adminAuth ? [{ kind: "bind" as const, source: `./${USERS_FILE}`, target: USERS_TARGET, readOnly: true }] : []),
    ],
    healthcheck: health(["CMD", "traefik", "healthcheck", "--ping"], "10s"),
    dependsOn: [{ service: wiring.chatEntry.service, condition: "service_healthy" }],
    limits: limits(traefikConfig.memory, traefikConfig.cpus),
  });
  // With Traefik in front, nothing else is reachable from outside the compose network.
  const services = [...wiring.services.map((service) => (service.ports.length > 0 ? { ...service, ports: [] } : service)), traefik];
  const rateLimit = need(s.rateLimit, "security.rateLimit");
  return {
    wiring: { ...wiring, services },
    module: {
      domain,
      ...(letsEncrypt
        ? { acme: { email: need(s.email, "security.email"), storage: "/data/acme.json", ...(s.staging ? { caServer: LETS_ENCRYPT_STAGING } : {}) } }
        : {}),
      routes,
      rateLimit: { average: need(rateLimit.average, "security.rateLimit.average"), burst: need(rateLimit.burst, "security.rateLimit.burst") },
      ...(adminAuth ? { usersFile: USERS_TARGET } : {}),
      metrics: monitoring,
      internalPort: TRAEFIK_INTERNAL_PORT,
    },
    privateFiles: adminAuth
      ? [{ path: USERS_FILE, secret: "TRAEFIK_BASIC_AUTH_PASSWORD", format: "htpasswd", user: need(s.adminUser, "security.adminUser") }]
      : [],
  };
}
