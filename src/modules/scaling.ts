// Scaling: N LibreChat replicas (and optionally M Ollama instances) behind nginx, Redis for the
// state replicas must share. Replicas get their own names (librechat-1..N) rather than Compose's
// `deploy.replicas` because one of them differs: only the first keeps Meilisearch in sync.
// nginx addresses them by compose name and looks the names up again in Docker's DNS (`resolve`),
// so a replica recreated on a new address is followed. On Kubernetes the pods of one service are
// the replicas and its Service balances them: no nginx, no numbered services.
import type { ResolvedConfig } from "../config/types.js";
import { health, LIBRECHAT_PORT, limits, longRunning, OLLAMA_PORT, podHost, sortedEnv, wgetHealth } from "../stack/helpers.js";
import { CONTAINER_READABLE, configFile, fromSecret, secretEnvFile } from "../stack/secret-files.js";
import { uriPassword } from "../stack/secret-specs.js";
import type { Service, Target } from "../stack/types.js";
import { range, redirectDependencies, serviceNamed, type Wiring } from "../stack/wiring.js";
import type { Applied } from "../stack/module.js";
import { defineModule, type RuleContext } from "./module.js";

interface Upstream {
  name: string;
  /** Port nginx listens on inside its container for this upstream. */
  listenPort: number;
  /** host:port of each replica, in order. */
  servers: string[];
  /** Replies stream (server-sent events), so nothing is buffered. */
  streaming: boolean;
}

export interface ScalingModel {
  upstreams: Upstream[];
  /** Compose: nginx's upload limit. (On a cluster the ingress controller's applies.) */
  clientMaxBodySize?: string;
  /** Path nginx answers itself, for its own healthcheck. */
  healthPath: string;
  /** Where the generated nginx.conf folder is mounted. */
  configDir: string;
}

declare module "../stack/types.js" {
  interface ModuleModels {
    scaling?: ScalingModel;
  }
}

/** nginx's own ports inside its container. */
const LB_HTTP_PORT = 80;
const LB_HEALTH_PATH = "/lb-health";
const NGINX_CONFIG_DIR = "/etc/nginx/llm";
/** Redis reads its password from its configuration file; redis-cli (the healthcheck) from REDISCLI_AUTH. */
const REDIS_CONF = "secrets/redis.conf";
const REDIS_CONF_TARGET = "/usr/local/etc/redis/redis.conf";

function withEnv(service: Service, extra: Record<string, string>): [string, string][] {
  return sortedEnv({ ...Object.fromEntries(service.environment), ...extra });
}

function librechatReplicas(config: ResolvedConfig, librechat: Service, count: number): Service[] {
  const search = config.librechat.search === true;
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

/** One instance per share of the listed GPUs; all read one model folder, so none may prune it.
 * Only the first is published (when Ollama is): a pull from the host then always lands on the
 * same server, and two pulls never write the shared blobs at once (Ollama has no lock between
 * servers). The others see what it pulled, in the same folder. */
function ollamaInstances(ollama: Service, count: number): Service[] {
  const ids = ollama.gpu?.deviceIds;
  const share = ids ? ids.length / count : 0;
  return range(count).map((i) => {
    const gpu = ollama.gpu && ids ? { ...ollama.gpu, deviceIds: ids.slice((i - 1) * share, i * share) } : ollama.gpu;
    return {
      ...ollama,
      name: `ollama-${i}`,
      summary: `${ollama.summary}, instance ${i} of ${count}${gpu?.deviceIds ? ` on GPU ${gpu.deviceIds.join(", ")}` : ""}${i === 1 && ollama.ports.length > 0 ? "; the one published, so pull through it" : ""}`,
      ports: i === 1 ? ollama.ports : [],
      environment: withEnv(ollama, { OLLAMA_NOPRUNE: "1" }),
      ...(gpu ? { gpu } : {}),
    };
  });
}

function redisService(config: ResolvedConfig): Service {
  const redisConfig = config.scaling.redis;
  return longRunning({
    name: "redis",
    summary: "Redis: sessions and caches shared by the LibreChat replicas (internal only, never published; password REDIS_PASSWORD)",
    image: redisConfig.image,
    // The image's entrypoint drops to its redis user for `redis-server`, which then reads the
    // file (mode 0644 for that user; the secrets/ folder is 0700).
    command: ["redis-server", REDIS_CONF_TARGET, "--appendonly", "yes"],
    envFiles: ["secrets/redis.env"],
    mounts: [
      { kind: "bind", source: "./data/redis", target: "/data", readOnly: false },
      { kind: "bind", source: `./${REDIS_CONF}`, target: REDIS_CONF_TARGET, readOnly: true },
    ],
    // -e: a refused command (NOAUTH) is a failure; plain `redis-cli ping` exits 0 on it.
    healthcheck: health(["CMD", "redis-cli", "-e", "ping"], "10s"),
    listens: [{ name: "redis", port: 6379 }],
    limits: limits(redisConfig.memory, redisConfig.cpus),
  });
}

/** What LibreChat and Redis share on either target: Redis' password files and LibreChat's use of it. */
function redisWiring(): Pick<Applied<ScalingModel>, "privateFiles" | "librechatSecrets" | "librechatEnv"> {
  return {
    privateFiles: [
      configFile("redis.conf", [["requirepass ", { secret: "REDIS_PASSWORD" }]], CONTAINER_READABLE),
      secretEnvFile("redis", [fromSecret("REDISCLI_AUTH", "REDIS_PASSWORD")]),
    ],
    librechatSecrets: [{ name: "REDIS_URI", value: ["redis://:", { secret: "REDIS_PASSWORD" }, "@redis:6379"] }],
    librechatEnv: [
      {
        key: "USE_REDIS",
        value: "true",
        comment: "Scaling: the replicas share sessions and caches through Redis (REDIS_URI, with its password, is in secrets/librechat.env)",
      },
    ],
  };
}

/** Kubernetes: the pods of one Deployment are LibreChat's replicas and of one StatefulSet Ollama's,
 * each Ollama pod with its own model volume and its share of the GPUs; the pull Job visits every
 * Ollama pod. */
function scaleOnKubernetes(config: ResolvedConfig, wiring: Wiring): Applied<ScalingModel> {
  const scaling = config.scaling;
  const search = config.librechat.search === true;
  const ollamaCount = scaling.ollamaReplicas;
  const services = wiring.services.map((service): Service => {
    if (service.name === "librechat") {
      return {
        ...service,
        summary: `${service.summary}; ${scaling.librechatReplicas} pods${search ? " (the first keeps Meilisearch in sync)" : ""}`,
        replicas: { count: scaling.librechatReplicas, ...(search ? { othersEnvironment: [["MEILI_NO_SYNC", "true"]] } : {}) },
        dependsOn: [...service.dependsOn, { service: "redis", condition: "service_healthy" as const }].sort((a, b) => (a.service < b.service ? -1 : 1)),
      };
    }
    if (service.name === "ollama" && ollamaCount > 1) {
      const ids = service.gpu?.deviceIds;
      // A pod cannot name its GPUs: each asks for its share of them, the device plugin picks which.
      const gpu = service.gpu && ids ? { driver: service.gpu.driver, count: ids.length / ollamaCount } : service.gpu;
      return {
        ...service,
        summary: `${service.summary}, ${ollamaCount} pods with a model volume each`,
        replicas: { count: ollamaCount },
        ...(gpu ? { gpu } : {}),
      };
    }
    if (service.name === "ollama-pull" && ollamaCount > 1) {
      const hosts = Array.from({ length: ollamaCount }, (_, i) => `http://${podHost("ollama", i)}:${OLLAMA_PORT}`);
      return { ...service, environment: [["OLLAMA_HOSTS", hosts.join(" ")]] };
    }
    return service;
  });
  services.push(redisService(config));
  return {
    wiring: { ...wiring, services },
    model: { upstreams: [], healthPath: LB_HEALTH_PATH, configDir: NGINX_CONFIG_DIR },
    ...redisWiring(),
  };
}

function scaleOut(config: ResolvedConfig, wiring: Wiring, target: Target): Applied<ScalingModel> {
  if (target === "kubernetes") return scaleOnKubernetes(config, wiring);
  const scaling = config.scaling;
  const librechatCount = scaling.librechatReplicas;
  const ollamaCount = scaling.ollamaReplicas;
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

  const nginxConfig = scaling.nginx;
  // Only LibreChat's entry: Ollama's balancer stays internal (ollama-1 is the one published).
  const ports: Service["ports"] = [{ hostIp: config.bindAddress, hostPort: config.librechat.port, containerPort: LB_HTTP_PORT }];
  const nginx = longRunning({
    name: "nginx",
    summary: `nginx load balancer over ${librechatCount} LibreChat replica${librechatCount === 1 ? "" : "s"}${instances.length > 0 ? ` and ${instances.length} Ollama instances` : ""}`,
    image: nginxConfig.image,
    // A folder mount, not a file mount: `llm generate` replaces nginx.conf atomically (a new inode),
    // which a single-file bind mount would never show.
    command: ["nginx", "-c", `${NGINX_CONFIG_DIR}/nginx.conf`, "-g", "daemon off;"],
    ports,
    mounts: [{ kind: "bind", source: "./nginx", target: NGINX_CONFIG_DIR, readOnly: true }],
    healthcheck: wgetHealth(`http://127.0.0.1:${LB_HTTP_PORT}${LB_HEALTH_PATH}`, "10s"),
    // nginx re-resolves the replicas' names through Docker's DNS (nginx.conf: resolver, `resolve`);
    // restart: a replica Compose recreates also restarts nginx, which drops its connections to the
    // old container at once instead of waiting for them to fail.
    dependsOn: [...replicas, ...instances].map((s) => ({ service: s.name, condition: "service_healthy" as const, restart: true })),
    limits: limits(nginxConfig.memory, nginxConfig.cpus),
  });
  const redis = redisService(config);
  services.push(nginx, redis);

  return {
    wiring: {
      services,
      librechat: replicas.map((r) => r.name),
      chatEntry: { service: "nginx", url: `http://nginx:${LB_HTTP_PORT}` },
      ollama: instances.length > 0 ? { services: instanceNames, url: `http://nginx:${OLLAMA_PORT}` } : wiring.ollama,
    },
    model: { upstreams, clientMaxBodySize: scaling.clientMaxBodySize, healthPath: LB_HEALTH_PATH, configDir: NGINX_CONFIG_DIR },
    proxy: "nginx",
    ...redisWiring(),
  };
}

function rules({ config, at }: RuleContext): void {
  const s = config.scaling;
  if (config.targets.includes("kubernetes") && s.librechatReplicas > 1 && !config.kubernetes.storage.sharedClass) {
    at(
      "kubernetes.storage.sharedClass",
      `${s.librechatReplicas} LibreChat pods share their uploads and images, which needs a ReadWriteMany volume, but kubernetes.storage.sharedClass names no StorageClass for one`,
      'set kubernetes.storage.sharedClass to a ReadWriteMany class of the cluster (e.g. "nfs-client", "efs-sc", "azurefile"), or scaling.librechatReplicas to 1',
      "scaling.librechatReplicas",
    );
  }
  if (s.ollamaReplicas <= 1) return;
  const replicas = s.ollamaReplicas;
  const gpu = config.ollama.gpu;
  if (gpu.deviceIds && gpu.deviceIds.length % replicas !== 0) {
    at(
      "scaling.ollamaReplicas",
      `${replicas} Ollama instances cannot share ${gpu.deviceIds.length} GPUs (ollama.gpu.deviceIds) evenly`,
      `list a multiple of ${replicas} GPU ids, or set scaling.ollamaReplicas to a divisor of ${gpu.deviceIds.length}`,
    );
  }
  // On Kubernetes a count is each pod's share, which the device plugin keeps apart.
  if (config.targets.includes("compose") && gpu.vendor === "nvidia" && typeof gpu.count === "number") {
    at(
      "ollama.gpu.count",
      `a GPU count makes all ${replicas} Ollama instances reserve the same first ${gpu.count === 1 ? "GPU" : `${gpu.count} GPUs`}`,
      'list the GPUs in ollama.gpu.deviceIds (e.g. ["0", "1"]) so each instance gets its own, or use count "all" to share them',
    );
  }
}

/** A replica failing this many times within FAIL_TIMEOUT is skipped for FAIL_TIMEOUT. */
const MAX_FAILS = 2;
const FAIL_TIMEOUT = "10s";
/** Docker's embedded DNS server, and how long nginx trusts an answer before asking again. */
const DOCKER_DNS = "127.0.0.11";
const DNS_VALID = "10s";

export const scaling = defineModule({
  name: "scaling",
  example: { scaling: { enabled: true, librechatReplicas: 2 } },
  rules,
  apply: (wiring, { config, target }) => scaleOut(config, wiring, target),
  onlyOnCompose: [
    {
      path: "scaling.nginx",
      onKubernetes: "nginx does not run on a cluster; LibreChat's Service balances its pods",
      hint: "remove scaling.nginx",
    },
    {
      path: "scaling.clientMaxBodySize",
      onKubernetes: "nginx's upload limit; on a cluster the ingress controller sets it",
      hint: 'set it in kubernetes.ingress.annotations (ingress-nginx: "nginx.ingress.kubernetes.io/proxy-body-size"), and remove scaling.clientMaxBodySize',
    },
  ],
  secrets: [uriPassword("REDIS_PASSWORD", "REDIS_URI")],
  outputs: [
    {
      path: "nginx/nginx.conf",
      template: "nginx.conf",
      syntax: "text",
      view: (model, { header }) => ({
        header,
        clientMaxBodySize: model.clientMaxBodySize,
        healthPath: model.healthPath,
        resolver: DOCKER_DNS,
        dnsValid: DNS_VALID,
        upstreams: model.upstreams.map((upstream) => ({
          name: upstream.name,
          listenPort: upstream.listenPort,
          summary: `${upstream.name}: ${upstream.servers.length} replica${upstream.servers.length === 1 ? "" : "s"} behind port ${upstream.listenPort}`,
          servers: upstream.servers.map((address) => ({ address, maxFails: MAX_FAILS, failTimeout: FAIL_TIMEOUT })),
          // Every replica may be tried once before the request fails.
          tries: upstream.servers.length,
        })),
      }),
    },
  ],
});
