// Stage 2: a resolved config → the services that run, with every decision made here and only here.
import type { LlmConfig } from "../config/types.js";
import { SECRETS_FILE } from "../secrets/catalog.js";
import { health, LIBRECHAT_PORT, LOOPBACK, limits, need, OLLAMA_PORT, sortedEnv, wgetHealth } from "./helpers.js";
import { MONGO_NO_AVX_IMAGE, mongoMajorVersion } from "./images.js";
import { applyModules, moduleAppEnv, securedUrl } from "./modules/index.js";
import type { CustomEndpoint, EnvEntry, Service, Stack } from "./types.js";

/** "512m" → 536870912: Meilisearch reads plain byte counts without unit ambiguity. */
export function sizeInBytes(size: string): number {
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[size.slice(-1) as "k" | "m" | "g"];
  return Math.round(Number(size.slice(0, -1)) * unit);
}

function ollamaService(config: LlmConfig): Service {
  const o = need(config.ollama, "ollama");
  const vendor = o.gpu?.vendor ?? "none";
  const kvCacheType = need(o.kvCacheType, "ollama.kvCacheType");
  // Quantized KV caches only take effect with flash attention.
  const flashAttention = need(o.flashAttention, "ollama.flashAttention") || kvCacheType !== "f16";
  const env: Record<string, string> = {
    OLLAMA_CONTEXT_LENGTH: String(need(o.contextLength, "ollama.contextLength")),
    OLLAMA_FLASH_ATTENTION: flashAttention ? "1" : "0",
    OLLAMA_KEEP_ALIVE: need(o.keepAlive, "ollama.keepAlive"),
    OLLAMA_KV_CACHE_TYPE: kvCacheType,
    OLLAMA_MAX_LOADED_MODELS: String(need(o.maxLoadedModels, "ollama.maxLoadedModels")),
    OLLAMA_NUM_PARALLEL: String(need(o.numParallel, "ollama.numParallel")),
    ...(o.env ?? {}),
  };
  const gpu =
    vendor === "nvidia"
      ? { driver: "nvidia" as const, ...(o.gpu?.deviceIds ? { deviceIds: [...o.gpu.deviceIds] } : { count: o.gpu?.count ?? "all" }) }
      : undefined;
  return {
    name: "ollama",
    summary: `Ollama model server (${vendor === "none" ? "CPU" : vendor === "nvidia" ? "NVIDIA GPU" : "AMD GPU, ROCm"})`,
    image: need(o.image, "ollama.image"),
    environment: sortedEnv(env),
    envFiles: [],
    // Ollama has no authentication: its API is never published beyond this machine, whatever
    // bindAddress says for LibreChat.
    ports: o.publish ? [{ hostIp: LOOPBACK, hostPort: need(o.port, "ollama.port"), containerPort: OLLAMA_PORT }] : [],
    mounts: [{ kind: "bind", source: "./data/ollama", target: "/root/.ollama", readOnly: false }],
    devices: vendor === "amd" ? ["/dev/dri", "/dev/kfd"] : [],
    // The image has no curl or wget; `ollama list` asks the server itself.
    healthcheck: health(["CMD", "ollama", "list"], "30s"),
    dependsOn: [],
    limits: limits(o.memory, o.cpus),
    ...(gpu ? { gpu } : {}),
    restart: "unless-stopped",
  };
}

function modelPullService(config: LlmConfig, models: string[]): Service {
  return {
    name: "ollama-pull",
    summary: "One-shot: pulls the declared models once Ollama is healthy, skipping those already present",
    image: need(config.ollama?.image, "ollama.image"),
    // Models arrive as arguments, so no model name is ever parsed by the shell.
    entrypoint: ["/bin/sh", "-c", 'for model in "$@"; do ollama show "$model" >/dev/null 2>&1 || ollama pull "$model" || exit 1; done', "ollama-pull"],
    command: models,
    environment: [["OLLAMA_HOST", `http://ollama:${OLLAMA_PORT}`]],
    envFiles: [],
    ports: [],
    mounts: [],
    devices: [],
    dependsOn: [{ service: "ollama", condition: "service_healthy" }],
    limits: { memory: "256m" },
    restart: "no",
  };
}

function mongoService(config: LlmConfig): Service {
  const m = need(config.mongodb, "mongodb");
  const image = m.avx === false && (mongoMajorVersion(need(m.image, "mongodb.image")) ?? 0) >= 5 ? MONGO_NO_AVX_IMAGE : need(m.image, "mongodb.image");
  const legacyShell = (mongoMajorVersion(image) ?? 99) < 5;
  const command = ["mongod", "--bind_ip_all", "--noauth"];
  if (m.cacheSizeGB !== undefined) command.push("--wiredTigerCacheSizeGB", String(m.cacheSizeGB));
  return {
    name: "mongodb",
    summary: "MongoDB, LibreChat's database (internal only, never published)",
    image,
    command,
    environment: [],
    envFiles: [],
    ports: [],
    mounts: [{ kind: "bind", source: "./data/mongodb", target: "/data/db", readOnly: false }],
    devices: [],
    // mongo:4.4 ships the legacy `mongo` shell; 5+ ship `mongosh`.
    healthcheck: health(["CMD", legacyShell ? "mongo" : "mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"], "20s"),
    dependsOn: [],
    limits: limits(m.memory, m.cpus),
    restart: "unless-stopped",
  };
}

function meiliService(config: LlmConfig): Service {
  const s = need(config.meilisearch, "meilisearch");
  const env: Record<string, string> = { MEILI_ENV: "production", MEILI_NO_ANALYTICS: "true" };
  if (s.maxIndexingMemory) env["MEILI_MAX_INDEXING_MEMORY"] = String(sizeInBytes(s.maxIndexingMemory));
  return {
    name: "meilisearch",
    summary: "Meilisearch, conversation search (internal only, never published)",
    image: need(s.image, "meilisearch.image"),
    environment: sortedEnv(env),
    // MEILI_MASTER_KEY comes from the secrets file, the same line LibreChat reads.
    envFiles: [SECRETS_FILE],
    ports: [],
    mounts: [{ kind: "bind", source: "./data/meilisearch", target: "/meili_data", readOnly: false }],
    devices: [],
    healthcheck: wgetHealth("http://127.0.0.1:7700/health", "20s"),
    dependsOn: [],
    limits: limits(s.memory, s.cpus),
    restart: "unless-stopped",
  };
}

function librechatService(config: LlmConfig): Service {
  const l = need(config.librechat, "librechat");
  const search = need(l.search, "librechat.search");
  const dependsOn: Service["dependsOn"] = [
    ...(search ? [{ service: "meilisearch", condition: "service_healthy" as const }] : []),
    { service: "mongodb", condition: "service_healthy" },
    { service: "ollama", condition: "service_healthy" },
  ];
  return {
    name: "librechat",
    summary: `LibreChat web UI on ${librechatUrl(config)}`,
    image: need(l.image, "librechat.image"),
    environment: [],
    envFiles: [".env", SECRETS_FILE],
    ports: [{ hostIp: need(config.bindAddress, "bindAddress"), hostPort: need(l.port, "librechat.port"), containerPort: LIBRECHAT_PORT }],
    mounts: [
      // Without this mount LibreChat silently starts with no Ollama endpoint.
      { kind: "bind", source: "./librechat.yaml", target: "/app/librechat.yaml", readOnly: true },
      // Named volumes start with the image's own files and ownership (the app runs as `node`).
      { kind: "volume", source: "librechat-images", target: "/app/client/public/images", readOnly: false },
      { kind: "volume", source: "librechat-logs", target: "/app/api/logs", readOnly: false },
      { kind: "volume", source: "librechat-uploads", target: "/app/uploads", readOnly: false },
    ],
    devices: [],
    healthcheck: health(
      ["CMD", "node", "-e", `fetch('http://127.0.0.1:${LIBRECHAT_PORT}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
      "60s",
    ),
    dependsOn,
    limits: limits(l.memory, l.cpus),
    restart: "unless-stopped",
  };
}

export function librechatUrl(config: LlmConfig): string {
  return config.librechat?.domain ?? securedUrl(config) ?? `http://localhost:${need(config.librechat?.port, "librechat.port")}`;
}

/** Open sign-ups by default only where nobody else can reach the stack: LibreChat makes the first account
 * to register its admin, so a public stack must not leave that to whoever comes first. */
export function registrationOpen(config: LlmConfig): boolean {
  const chosen = config.librechat?.registration;
  if (chosen !== undefined) return chosen;
  // Let's Encrypt means a public domain and Traefik on every interface; otherwise the bind address decides.
  const public_ = config.security?.enabled === true && config.security.certificates === "letsencrypt";
  return !public_ && need(config.bindAddress, "bindAddress").startsWith("127.");
}

function appEnv(config: LlmConfig): EnvEntry[] {
  const l = need(config.librechat, "librechat");
  const url = librechatUrl(config);
  const bool = (value: boolean) => (value ? "true" : "false");
  const search = need(l.search, "librechat.search");
  const entries: EnvEntry[] = [
    { key: "HOST", value: "0.0.0.0", comment: "Server" },
    { key: "PORT", value: String(LIBRECHAT_PORT) },
    { key: "DOMAIN_CLIENT", value: url },
    { key: "DOMAIN_SERVER", value: url },
    { key: "APP_TITLE", value: need(l.title, "librechat.title") },
    { key: "NO_INDEX", value: "true" },
    { key: "CONFIG_PATH", value: "/app/librechat.yaml" },
    { key: "MONGO_URI", value: "mongodb://mongodb:27017/LibreChat", comment: "Database" },
    { key: "ALLOW_EMAIL_LOGIN", value: "true", comment: "Accounts" },
    { key: "ALLOW_REGISTRATION", value: bool(registrationOpen(config)) },
    { key: "ALLOW_SOCIAL_LOGIN", value: "false" },
    { key: "ALLOW_SOCIAL_REGISTRATION", value: "false" },
    { key: "ALLOW_PASSWORD_RESET", value: "false" },
    { key: "ALLOW_UNVERIFIED_EMAIL_LOGIN", value: "true" },
    { key: "SEARCH", value: bool(search), comment: "Search (MEILI_MASTER_KEY is in secrets.env)" },
    { key: "MEILI_HOST", value: "http://meilisearch:7700" },
    { key: "MEILI_NO_ANALYTICS", value: "true" },
    ...moduleAppEnv(config),
  ];
  // A user value replaces a built-in one in place rather than appearing twice.
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  const added = sortedEnv(l.env ?? {}).filter(([key, value]) => {
    const builtIn = byKey.get(key);
    if (builtIn) builtIn.value = value;
    return !builtIn;
  });
  added.forEach(([key, value], index) => {
    entries.push({ key, value, ...(index === 0 ? { comment: "From librechat.env in the config" } : {}) });
  });
  return entries;
}

function customEndpoints(config: LlmConfig): CustomEndpoint[] {
  return (config.librechat?.endpoints ?? []).map((endpoint) => ({
    name: endpoint.name,
    apiKey: endpoint.apiKey,
    baseURL: endpoint.baseURL,
    models: { default: [...endpoint.models.default], fetch: endpoint.models.fetch ?? false },
    titleConvo: endpoint.titleConvo ?? true,
    titleModel: endpoint.titleModel ?? "current_model",
    modelDisplayLabel: endpoint.modelDisplayLabel ?? endpoint.name,
  }));
}

export function buildStack(config: LlmConfig): Stack {
  const models = [...(config.models ?? [])];
  const search = need(config.librechat?.search, "librechat.search");
  const core: Service[] = [librechatService(config), mongoService(config), ollamaService(config)];
  if (search) core.push(meiliService(config));
  if (models.length > 0) core.push(modelPullService(config, models));
  const { services, modules, privateFiles, secrets, ollamaBaseURL } = applyModules(config, core);
  services.sort((a, b) => (a.name < b.name ? -1 : 1));
  const namedVolumes = [...new Set(services.flatMap((s) => s.mounts.filter((m) => m.kind === "volume").map((m) => m.source)))].sort();
  return {
    name: need(config.name, "name"),
    services,
    namedVolumes,
    models,
    appEnv: appEnv(config),
    librechat: {
      url: librechatUrl(config),
      registration: registrationOpen(config),
      ollamaBaseURL,
      ollamaEndpointName: need(config.librechat?.ollamaEndpointName, "librechat.ollamaEndpointName"),
      titleModel: need(config.librechat?.titleModel, "librechat.titleModel"),
      endpoints: customEndpoints(config),
    },
    secrets,
    secretsFile: SECRETS_FILE,
    privateFiles,
    modules,
  };
}
