// Scaling: N LibreChat replicas (and optionally M Ollama instances) behind nginx, Redis for the
// state replicas must share. Replicas get their own names (librechat-1..N) rather than Compose's
// `deploy.replicas` because one of them differs: only the first keeps Meilisearch in sync.
// nginx addresses them by compose name and looks the names up again in Docker's DNS (`resolve`),
// so a replica recreated on a new address is followed.
import type { ResolvedConfig } from "../config/types.js";
import { health, LIBRECHAT_PORT, limits, longRunning, OLLAMA_PORT, sortedEnv, wgetHealth } from "../stack/helpers.js";
import { CONTAINER_READABLE, configFile, fromSecret, secretEnvFile } from "../stack/secret-files.js";
import { uriPassword } from "../stack/secret-specs.js";
import type { Service } from "../stack/types.js";
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
  clientMaxBodySize: string;
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

function scaleOut(config: ResolvedConfig, wiring: Wiring): Applied<ScalingModel> {
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
  const redisConfig = scaling.redis;
  const redis = longRunning({
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
    limits: limits(redisConfig.memory, redisConfig.cpus),
  });
  services.push(nginx, redis);

  return {
    wiring: { services, librechat: replicas.map((r) => r.name), chatEntry: { service: "nginx", url: `http://nginx:${LB_HTTP_PORT}` } },
    model: { upstreams, clientMaxBodySize: scaling.clientMaxBodySize, healthPath: LB_HEALTH_PATH, configDir: NGINX_CONFIG_DIR },
    ...(instances.length > 0 ? { ollamaBaseURL: `http://nginx:${OLLAMA_PORT}/v1` } : {}),
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

function rules({ config, at }: RuleContext): void {
  const s = config.scaling;
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
  if (gpu.vendor === "nvidia" && typeof gpu.count === "number") {
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
  proxy: "nginx",
  rules,
  apply: (wiring, { config }) => scaleOut(config, wiring),
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
