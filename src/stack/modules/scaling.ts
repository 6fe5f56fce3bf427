// Scaling: N LibreChat replicas (and optionally M Ollama instances) behind nginx, Redis for the
// state replicas must share. Replicas get their own names (librechat-1..N) rather than Compose's
// `deploy.replicas` because one of them differs: only the first keeps Meilisearch in sync.
import type { LlmConfig } from "../../config/types.js";
import { health, LIBRECHAT_PORT, LOOPBACK, limits, longRunning, need, OLLAMA_PORT, sortedEnv, wgetHealth } from "../helpers.js";
import type { ScalingModule, Service, Upstream } from "../types.js";
import { range, redirectDependencies, serviceNamed, type Wiring } from "./wiring.js";

/** nginx's own ports inside its container. */
export const LB_HTTP_PORT = 80;
const LB_HEALTH_PATH = "/lb-health";
const NGINX_CONFIG_DIR = "/etc/nginx/llm";
export const REDIS_URI = "redis://redis:6379";

function withEnv(service: Service, extra: Record<string, string>): [string, string][] {
  return sortedEnv({ ...Object.fromEntries(service.environment), ...extra });
}

function librechatReplicas(config: LlmConfig, librechat: Service, count: number): Service[] {
  const search = config.librechat?.search === true;
  return range(count).map((i) => ({
    ...librechat,
    name: `librechat-${i}`,
    summary: `LibreChat replica ${i} of ${count}${search ? (i === 1 ? " (keeps Meilisearch in sync)" : " (MEILI_NO_SYNC: replica 1 syncs search)") : ""}`,
    // Only the load balancer is published.
    ports: [],
    environment: search && i > 1 ? withEnv(librechat, { MEILI_NO_SYNC: "true" }) : librechat.environment,
    dependsOn: [...librechat.dependsOn, { service: "redis", condition: "service_healthy" as const }].sort((a, b) => (a.service < b.service ? -1 : 1)),
  }));
}

/** One instance per share of the listed GPUs; all read one model folder, so none may prune it. */
function ollamaInstances(ollama: Service, count: number): Service[] {
  const ids = ollama.gpu?.deviceIds;
  const share = ids ? ids.length / count : 0;
  return range(count).map((i) => {
    const gpu = ollama.gpu && ids ? { ...ollama.gpu, deviceIds: ids.slice((i - 1) * share, i * share) } : ollama.gpu;
    return {
      ...ollama,
      name: `ollama-${i}`,
      summary: `${ollama.summary}, instance ${i} of ${count}${gpu?.deviceIds ? ` on GPU ${gpu.deviceIds.join(", ")}` : ""}`,
      ports: [],
      environment: withEnv(ollama, { OLLAMA_NOPRUNE: "1" }),
      ...(gpu ? { gpu } : {}),
    };
  });
}

export function scaleOut(config: LlmConfig, wiring: Wiring): { wiring: Wiring; module: ScalingModule; ollamaBaseURL?: string } {
  const scaling = need(config.scaling, "scaling");
  const librechatCount = need(scaling.librechatReplicas, "scaling.librechatReplicas");
  const ollamaCount = need(scaling.ollamaReplicas, "scaling.ollamaReplicas");
  const replicas = librechatReplicas(config, serviceNamed(wiring.services, "librechat"), librechatCount);
  const ollama = serviceNamed(wiring.services, "ollama");
  const instances = ollamaCount > 1 ? ollamaInstances(ollama, ollamaCount) : [];
  const instanceNames = instances.map((s) => s.name);

  let services = wiring.services.filter((s) => s.name !== "librechat" && (instances.length === 0 || s.name !== "ollama"));
  services.push(...replicas, ...instances);
  if (instances.length > 0) {
    services = services.map((service) => {
      // Pulling once is enough: the instances share the model folder.
      if (service.name === "ollama-pull") {
        return { ...redirectDependencies(service, "ollama", ["ollama-1"]), environment: [["OLLAMA_HOST", `http://ollama-1:${OLLAMA_PORT}`]] };
      }
      return redirectDependencies(service, "ollama", instanceNames);
    });
  }

  const upstreams: Upstream[] = [{ name: "librechat", listenPort: LB_HTTP_PORT, servers: replicas.map((r) => `${r.name}:${LIBRECHAT_PORT}`), streaming: true }];
  if (instances.length > 0)
    upstreams.push({ name: "ollama", listenPort: OLLAMA_PORT, servers: instances.map((s) => `${s.name}:${OLLAMA_PORT}`), streaming: true });

  const nginxConfig = need(scaling.nginx, "scaling.nginx");
  const ports: Service["ports"] = [
    { hostIp: need(config.bindAddress, "bindAddress"), hostPort: need(config.librechat?.port, "librechat.port"), containerPort: LB_HTTP_PORT },
  ];
  // Ollama has no authentication: its balancer, like Ollama itself, is only ever on loopback.
  if (instances.length > 0 && ollama.ports.length > 0)
    ports.push({ hostIp: LOOPBACK, hostPort: need(config.ollama?.port, "ollama.port"), containerPort: OLLAMA_PORT });
  const nginx = longRunning({
    name: "nginx",
    summary: `nginx load balancer over ${librechatCount} LibreChat replica${librechatCount === 1 ? "" : "s"}${instances.length > 0 ? ` and ${instances.length} Ollama instances` : ""}`,
    image: need(nginxConfig.image, "scaling.nginx.image"),
    // A folder mount, not a file mount: `llm generate` replaces nginx.conf atomically (a new inode),
    // which a single-file bind mount would never show.
    command: ["nginx", "-c", `${NGINX_CONFIG_DIR}/nginx.conf`, "-g", "daemon off;"],
    ports,
    mounts: [{ kind: "bind", source: "./nginx", target: NGINX_CONFIG_DIR, readOnly: true }],
    healthcheck: wgetHealth(`http://127.0.0.1:${LB_HTTP_PORT}${LB_HEALTH_PATH}`, "10s"),
    // nginx resolves upstream names once, at start: every replica must exist by then.
    dependsOn: [...replicas, ...instances].map((s) => ({ service: s.name, condition: "service_healthy" as const })),
    limits: limits(nginxConfig.memory, nginxConfig.cpus),
  });
  const redisConfig = need(scaling.redis, "scaling.redis");
  const redis = longRunning({
    name: "redis",
    summary: "Redis: sessions and caches shared by the LibreChat replicas (internal only, never published)",
    image: need(redisConfig.image, "scaling.redis.image"),
    command: ["redis-server", "--appendonly", "yes"],
    mounts: [{ kind: "bind", source: "./data/redis", target: "/data", readOnly: false }],
    healthcheck: health(["CMD", "redis-cli", "ping"], "10s"),
    limits: limits(redisConfig.memory, redisConfig.cpus),
  });
  services.push(nginx, redis);

  return {
    wiring: { services, librechat: replicas.map((r) => r.name), chatEntry: { service: "nginx", url: `http://nginx:${LB_HTTP_PORT}` } },
    module: {
      upstreams,
      clientMaxBodySize: need(scaling.clientMaxBodySize, "scaling.clientMaxBodySize"),
      healthPath: LB_HEALTH_PATH,
      configDir: NGINX_CONFIG_DIR,
    },
    ...(instances.length > 0 ? { ollamaBaseURL: `http://nginx:${OLLAMA_PORT}/v1` } : {}),
  };
}
