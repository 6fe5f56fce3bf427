// Stage 2: a resolved config → the services that run, with every decision made here and only here.
import type { ResolvedConfig } from "../config/types.js";
import { SECRETS_FILE } from "../layout.js";
import { InternalError } from "../errors.js";
import { health, isLoopback, isLoopbackHost, LIBRECHAT_PORT, LOOPBACK, limits, namespaceOf, OLLAMA_PORT, sortedEnv, wgetHealth } from "./helpers.js";
import { MONGO_NO_AVX_IMAGE, imageTag, mongoMajorVersion, tagVersion } from "./images.js";
import { canonicalModelName, declaredModels, stackModels, type DeclaredModel } from "./models.js";
import { applyModules, moduleAppEnv } from "./apply-modules.js";
import { librechatRelease, type LibrechatRelease } from "./releases.js";
import { isEnabled, type StackModule } from "./module.js";
import { USER_SECRETS_FILE, fromSecret, secretEnvFile, userSecretsFile, wireSecrets, type SecretVar } from "./secret-files.js";
import { CORE_SECRET_SPECS, type SecretSpec } from "./secret-specs.js";
import type { CustomEndpoint, DataFolder, EnvEntry, EnvReference, Notice, PrivateFile, Service, Stack, Target } from "./types.js";

/** "512m" → 536870912: Meilisearch reads plain byte counts without unit ambiguity. */
export function sizeInBytes(size: string): number {
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[size.slice(-1) as "k" | "m" | "g"];
  return Math.round(Number(size.slice(0, -1)) * unit);
}

/** The MongoDB user LibreChat connects as: created by the image's entrypoint, as root, on an empty data folder. */
const MONGO_USER = "librechat";
const MONGO_DATABASE = "LibreChat";

/** What the core services hand the modules and the stack: the parts decided per service. */
interface Core {
  services: Service[];
  privateFiles: PrivateFile[];
  librechatSecrets: SecretVar[];
  dataFolders: DataFolder[];
}

function ollamaService(config: ResolvedConfig): Service {
  const o = config.ollama;
  const vendor = o.gpu.vendor;
  const env: Record<string, string> = {
    OLLAMA_CONTEXT_LENGTH: String(o.contextLength),
    // Unset is Ollama's "auto": on where the GPU supports it (envconfig, llama-server --flash-attn auto).
    ...(o.flashAttention === "auto" ? {} : { OLLAMA_FLASH_ATTENTION: o.flashAttention ? "1" : "0" }),
    OLLAMA_KEEP_ALIVE: o.keepAlive,
    OLLAMA_KV_CACHE_TYPE: o.kvCacheType,
    OLLAMA_MAX_LOADED_MODELS: String(o.maxLoadedModels),
    OLLAMA_NUM_PARALLEL: String(o.numParallel),
    ...o.env,
  };
  const gpu =
    vendor === "nvidia"
      ? { driver: "nvidia" as const, ...(o.gpu.deviceIds ? { deviceIds: [...o.gpu.deviceIds] } : { count: o.gpu.count ?? "all" }) }
      : undefined;
  return {
    name: "ollama",
    summary: `Ollama model server (${vendor === "none" ? "CPU" : vendor === "nvidia" ? "NVIDIA GPU" : "AMD GPU, ROCm: the host needs the ROCm 7 kernel driver"})`,
    image: o.image,
    environment: sortedEnv(env),
    envFiles: [],
    // Ollama has no authentication: its API is never published beyond this machine, whatever
    // bindAddress says for LibreChat.
    ports: o.publish ? [{ hostIp: LOOPBACK, hostPort: o.port, containerPort: OLLAMA_PORT }] : [],
    mounts: [{ kind: "bind", source: "./data/ollama", target: "/root/.ollama", readOnly: false }],
    devices: vendor === "amd" ? ["/dev/dri", "/dev/kfd"] : [],
    // The image has no curl or wget; `ollama list` asks the server itself (GET /api/tags, which
    // Kubernetes' probe asks directly).
    healthcheck: { ...health(["CMD", "ollama", "list"], "30s"), http: { port: OLLAMA_PORT, path: "/api/tags" } },
    listens: [{ name: "http", port: OLLAMA_PORT }],
    dependsOn: [],
    limits: limits(o.memory, o.cpus),
    ...(gpu ? { gpu } : {}),
    restart: "unless-stopped",
  };
}

/** Kubernetes has no depends_on: the pull waits for each Ollama in $OLLAMA_HOSTS itself (10 minutes
 * at most), then pulls what that one lacks. */
const WAIT_AND_PULL =
  'for host in $OLLAMA_HOSTS; do export OLLAMA_HOST="$host"; i=0; until ollama list >/dev/null 2>&1; do i=$((i+1)); [ "$i" -ge 120 ] && exit 1; sleep 5; done; ' +
  'for model in "$@"; do ollama show "$model" >/dev/null 2>&1 || ollama pull "$model" || exit 1; done; done';

function modelPullService(config: ResolvedConfig, models: string[], target: Target): Service {
  const pull =
    target === "kubernetes"
      ? { summary: "One-shot: waits for Ollama, then pulls the declared models it does not have yet", script: WAIT_AND_PULL, hostVar: "OLLAMA_HOSTS" }
      : {
          summary: "One-shot: pulls the declared models once Ollama is healthy, skipping those already present",
          script: 'for model in "$@"; do ollama show "$model" >/dev/null 2>&1 || ollama pull "$model" || exit 1; done',
          hostVar: "OLLAMA_HOST",
        };
  return {
    name: "ollama-pull",
    summary: pull.summary,
    image: config.ollama.image,
    // Models arrive as arguments, so no model name is ever parsed by the shell.
    entrypoint: ["/bin/sh", "-c", pull.script, "ollama-pull"],
    command: models,
    environment: [[pull.hostVar, `http://ollama:${OLLAMA_PORT}`]],
    envFiles: [],
    ports: [],
    mounts: [],
    devices: [],
    dependsOn: [{ service: "ollama", condition: "service_healthy" }],
    limits: { memory: "256m" },
    restart: "no",
  };
}

const outsideMongoNotice = (uri: string): Notice => ({
  path: "librechat.env.MONGO_URI",
  message: `LibreChat uses the MongoDB at ${/^[^:]*:\/\/(?:[^/@]*@)?([^/?]*)/.exec(uri)?.[1] || uri} (librechat.env.MONGO_URI): the stack starts no MongoDB of its own, and the mongodb settings do not apply; that database's backups and upgrades are yours`,
  hint: "remove librechat.env.MONGO_URI to run the stack's own MongoDB",
});

/** LibreChat asks Ollama for titles with librechat.titleModel: one that is not pulled fails every
 * title, so it is pulled too, and said so. */
function titleModelPull(config: ResolvedConfig, warnings: Notice[]): DeclaredModel[] {
  const title = config.librechat.titleModel;
  if (title === "current_model" || declaredModels(config).some((m) => canonicalModelName(m.name) === canonicalModelName(title))) return [];
  warnings.push({
    path: "librechat.titleModel",
    message: `librechat.titleModel ${JSON.stringify(title)} is not in models: it is pulled too, or LibreChat's titles would fail`,
    hint: `add ${JSON.stringify(title)} to models to say so yourself, or set librechat.titleModel to "current_model"`,
  });
  return [{ name: title, kind: "chat" }];
}

/** The image MongoDB runs: 4.4 on CPUs without AVX. */
function mongoImage(config: ResolvedConfig): string {
  const m = config.mongodb;
  return m.avx === false && (mongoMajorVersion(m.image) ?? 0) >= 5 ? MONGO_NO_AVX_IMAGE : m.image;
}

/** "8.0" for mongo:8.0.29: MongoDB opens data files of its own release series (and one before). */
const mongoSeries = (image: string) => {
  const v = tagVersion(image);
  return v ? `${v[0]}${v[1] === undefined ? "" : `.${v[1]}`}` : imageTag(image) || "unknown";
};

function mongoService(config: ResolvedConfig, core: Core, warnings: Notice[]): Service {
  const m = config.mongodb;
  const image = mongoImage(config);
  const series = mongoSeries(image);
  const legacyShell = (mongoMajorVersion(image) ?? 99) < 5;
  const dataDir = m.dataDir ?? `./data/mongodb-${series}`;
  core.dataFolders.push({
    path: dataDir.slice(2),
    service: "mongodb",
    family: "mongodb",
    version: series,
    change: "migrate",
    migration: {
      what: "MongoDB data",
      why: "MongoDB opens only its own release series' files, or the one before",
      how: 'dump it while the old image still runs, then restore it into the new one (README: Upgrading, "MongoDB to another version")',
      setting: "mongodb.image",
    },
    legacy: m.dataDir ? [] : ["data/mongodb"],
  });
  const command = ["mongod", "--bind_ip_all"];
  if (!m.auth) command.push("--noauth");
  if (m.cacheSizeGB !== undefined) command.push("--wiredTigerCacheSizeGB", String(m.cacheSizeGB));
  if (m.auth) {
    core.privateFiles.push(secretEnvFile("mongodb", [fromSecret("MONGO_INITDB_ROOT_PASSWORD", "MONGO_PASSWORD")]));
    core.librechatSecrets.push({
      name: "MONGO_URI",
      value: [`mongodb://${MONGO_USER}:`, { secret: "MONGO_PASSWORD" }, `@mongodb:27017/${MONGO_DATABASE}?authSource=admin`],
    });
  } else {
    warnings.push({
      path: "mongodb.auth",
      message: "MongoDB runs without authentication: every container on the stack's network can read and write LibreChat's data",
      hint: 'create the user (README: Upgrading, "MongoDB without authentication"), then remove mongodb.auth',
    });
  }
  return {
    name: "mongodb",
    summary: `MongoDB ${series}, LibreChat's database (internal only, never published${m.auth ? `; user ${MONGO_USER}, password MONGO_PASSWORD` : "; no authentication"})${legacyShell ? "; 4.4 is end of life, for CPUs without AVX only" : ""}`,
    image,
    command,
    // With both set, the image's entrypoint creates the root user on an empty data folder and adds --auth.
    environment: m.auth ? [["MONGO_INITDB_ROOT_USERNAME", MONGO_USER]] : [],
    envFiles: m.auth ? ["secrets/mongodb.env"] : [],
    ports: [],
    mounts: [{ kind: "bind", source: dataDir, target: "/data/db", readOnly: false }],
    devices: [],
    listens: [{ name: "mongodb", port: 27017 }],
    // mongo:4.4 ships the legacy `mongo` shell; 5+ ship `mongosh`. `ping` needs no authentication.
    healthcheck: health(["CMD", legacyShell ? "mongo" : "mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"], "20s"),
    dependsOn: [],
    limits: limits(m.memory, m.cpus),
    restart: "unless-stopped",
  };
}

function meiliService(config: ResolvedConfig, core: Core): Service {
  const s = config.meilisearch;
  const env: Record<string, string> = { MEILI_ENV: "production", MEILI_NO_ANALYTICS: "true" };
  if (s.maxIndexingMemory) env["MEILI_MAX_INDEXING_MEMORY"] = String(sizeInBytes(s.maxIndexingMemory));
  // Meilisearch refuses a database another version wrote (crates/meilisearch/src/lib.rs
  // check_version): a folder per version, as LibreChat's own compose keeps one.
  const version = imageTag(s.image) || "unknown";
  const dataDir = `data/meilisearch-${version}`;
  core.dataFolders.push({ path: dataDir, service: "meilisearch", family: "meilisearch", version, change: "rebuild", legacy: ["data/meilisearch"] });
  core.privateFiles.push(secretEnvFile("meilisearch", [fromSecret("MEILI_MASTER_KEY")]));
  core.librechatSecrets.push(fromSecret("MEILI_MASTER_KEY"));
  return {
    name: "meilisearch",
    summary: `Meilisearch ${version}, conversation search (internal only, never published); another version needs its own data folder or a migration`,
    image: s.image,
    environment: sortedEnv(env),
    envFiles: ["secrets/meilisearch.env"],
    ports: [],
    mounts: [{ kind: "bind", source: `./${dataDir}`, target: "/meili_data", readOnly: false }],
    devices: [],
    healthcheck: wgetHealth("http://127.0.0.1:7700/health", "20s"),
    listens: [{ name: "http", port: 7700 }],
    dependsOn: [],
    limits: limits(s.memory, s.cpus),
    restart: "unless-stopped",
  };
}

function librechatService(config: ResolvedConfig, release: LibrechatRelease, url: string, target: Target): Service {
  const l = config.librechat;
  const dependsOn: Service["dependsOn"] = [
    ...(l.search ? [{ service: "meilisearch", condition: "service_healthy" as const }] : []),
    ...(l.env["MONGO_URI"] === undefined ? [{ service: "mongodb", condition: "service_healthy" as const }] : []),
    { service: "ollama", condition: "service_healthy" },
  ];
  return {
    name: "librechat",
    summary: `LibreChat ${release.version} web UI on ${url}`,
    image: l.image,
    environment: [],
    // On Kubernetes a user's own keys come from a Secret of their own (user-secrets.env).
    envFiles: [".env", LIBRECHAT_SECRETS, ...(target === "kubernetes" ? [USER_SECRETS_FILE] : [])],
    ports: [{ hostIp: config.bindAddress, hostPort: l.port, containerPort: LIBRECHAT_PORT }],
    mounts: [
      // Without this mount LibreChat silently starts with no Ollama endpoint.
      { kind: "bind", source: "./librechat.yaml", target: "/app/librechat.yaml", readOnly: true },
      // Named volumes start with the image's own folders and their owner (the app runs as `node`).
      { kind: "volume", source: "librechat-images", target: "/app/client/public/images", readOnly: false },
      { kind: "volume", source: "librechat-logs", target: release.logDir, readOnly: false, scratch: true },
      ...(release.skillFolder ? [{ kind: "volume" as const, source: "librechat-skill", target: "/app/skill", readOnly: false }] : []),
      { kind: "volume", source: "librechat-uploads", target: "/app/uploads", readOnly: false },
    ],
    devices: [],
    healthcheck: {
      ...health(
        ["CMD", "node", "-e", `fetch('http://127.0.0.1:${LIBRECHAT_PORT}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
        "60s",
      ),
      http: { port: LIBRECHAT_PORT, path: "/health" },
    },
    listens: [{ name: "http", port: LIBRECHAT_PORT }],
    sharedVolumes: true,
    // The image runs as node (1000); its named volumes on Compose take that owner from the image.
    fsGroup: 1000,
    dependsOn,
    limits: limits(l.memory, l.cpus),
    restart: "unless-stopped",
  };
}

/** LibreChat's secrets, and those a user adds to secrets.env (API keys its endpoints reference). */
const LIBRECHAT_SECRETS = "secrets/librechat.env";

function librechatUrl(config: ResolvedConfig, modules: readonly StackModule[], target: Target): string {
  const served = modules.map((m) => m.librechatUrl?.(config)).find((url) => url !== undefined);
  return config.librechat.domain ?? served ?? `http://${target === "kubernetes" ? "localhost" : hostOfBind(config.bindAddress)}:${config.librechat.port}`;
}

/** Where a browser finds what listens on `bindAddress`: localhost for 127.0.0.1 and every
 * interface, else the address itself, since nothing listens on localhost then. (On Kubernetes,
 * `kubectl port-forward` serves it on localhost.) */
function hostOfBind(address: string): string {
  return address === LOOPBACK || address === "0.0.0.0" ? "localhost" : address;
}

/** Open sign-ups by default only where nobody else can reach the stack: LibreChat makes the first account
 * to register its admin, so a public stack must not leave that to whoever comes first. */
function registrationOpen(config: ResolvedConfig, modules: readonly StackModule[], target: Target): boolean {
  const chosen = config.librechat.registration;
  if (chosen !== undefined) return chosen;
  // A module that makes the stack public (Let's Encrypt: a public domain), or the bind address.
  // On Kubernetes a module that serves LibreChat on its own URL is an Ingress, reachable beyond
  // the cluster whatever its certificate; without one, only `kubectl port-forward` reaches it.
  // A name other than loopback for LibreChat (librechat.domain, security.domain) is how others
  // reach it through a tunnel or a proxy on the host, whatever bindAddress says.
  const public_ = modules.some((m) => m.public?.(config) === true) || !isLoopbackHost(new URL(librechatUrl(config, modules, target)).hostname);
  if (target === "kubernetes") return !public_ && !modules.some((m) => m.librechatUrl?.(config) !== undefined);
  return !public_ && isLoopback(config.bindAddress);
}

function appEnv(config: ResolvedConfig, modules: readonly StackModule[], target: Target, moduleEnv: EnvEntry[]): EnvEntry[] {
  const l = config.librechat;
  const url = librechatUrl(config, modules, target);
  const bool = (value: boolean) => (value ? "true" : "false");
  const entries: EnvEntry[] = [
    { key: "HOST", value: "0.0.0.0", comment: "Server" },
    { key: "PORT", value: String(LIBRECHAT_PORT) },
    { key: "DOMAIN_CLIENT", value: url },
    { key: "DOMAIN_SERVER", value: url },
    { key: "APP_TITLE", value: l.title },
    { key: "NO_INDEX", value: "true" },
    { key: "CONFIG_PATH", value: "/app/librechat.yaml" },
    // With authentication, MONGO_URI holds MongoDB's password and lives in secrets/librechat.env.
    ...(config.mongodb.auth
      ? []
      : [{ key: "MONGO_URI", value: `mongodb://mongodb:27017/${MONGO_DATABASE}`, comment: "Database (no authentication: mongodb.auth is false)" }]),
    { key: "ALLOW_EMAIL_LOGIN", value: "true", comment: "Accounts" },
    { key: "ALLOW_REGISTRATION", value: bool(registrationOpen(config, modules, target)) },
    { key: "ALLOW_SOCIAL_LOGIN", value: "false" },
    { key: "ALLOW_SOCIAL_REGISTRATION", value: "false" },
    { key: "ALLOW_PASSWORD_RESET", value: "false" },
    { key: "ALLOW_UNVERIFIED_EMAIL_LOGIN", value: "true" },
    // LibreChat contacts Meilisearch whenever MEILI_HOST and MEILI_MASTER_KEY are set, SEARCH or not
    // (packages/data-schemas models/convo.ts), so without search neither is given.
    ...(l.search
      ? [
          { key: "SEARCH", value: "true", comment: `Search (MEILI_MASTER_KEY is in ${LIBRECHAT_SECRETS})` },
          { key: "MEILI_HOST", value: "http://meilisearch:7700" },
          { key: "MEILI_NO_ANALYTICS", value: "true" },
        ]
      : [{ key: "SEARCH", value: "false", comment: "Search is off (librechat.search)" }]),
    ...moduleEnv,
  ];
  // A user value replaces a built-in one in place rather than appearing twice.
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  const added = sortedEnv(l.env).filter(([key, value]) => {
    const builtIn = byKey.get(key);
    if (builtIn) builtIn.value = value;
    return !builtIn;
  });
  added.forEach(([key, value], index) => {
    entries.push({ key, value, ...(index === 0 ? { comment: "From librechat.env in the config" } : {}) });
  });
  return entries;
}

function customEndpoints(config: ResolvedConfig): CustomEndpoint[] {
  return config.librechat.endpoints.map((endpoint) => ({
    name: endpoint.name,
    apiKey: endpoint.apiKey,
    baseURL: endpoint.baseURL,
    models: { default: [...endpoint.models.default], fetch: endpoint.models.fetch ?? false },
    titleConvo: endpoint.titleConvo ?? true,
    titleModel: endpoint.titleModel ?? "current_model",
    modelDisplayLabel: endpoint.modelDisplayLabel ?? endpoint.name,
  }));
}

/** LibreChat substitutes `${NAME}` in a custom endpoint's apiKey and baseURL (extractEnvVariable,
 * docs/upstream-facts.md); the config has no endpoint headers, its third such field. */
function envReferences(config: ResolvedConfig): EnvReference[] {
  return config.librechat.endpoints.flatMap((endpoint, index) =>
    (["apiKey", "baseURL"] as const).flatMap((field) =>
      [...endpoint[field].matchAll(/\$\{([^}]+)\}/g)].map((match) => ({
        path: `librechat.endpoints[${index}].${field}`,
        name: match[1]!,
        endpoint: endpoint.name,
        field,
        whole: endpoint[field].trim() === match[0],
      })),
    ),
  );
}

function portsOwner(modules: readonly StackModule[]): Pick<Stack, "portsOwner"> {
  const owner = modules.find((m) => m.exclusivePorts);
  return owner?.exclusivePorts ? { portsOwner: { module: owner.name, service: owner.exclusivePorts.service } } : {};
}

function specOf(specs: readonly SecretSpec[], name: string): SecretSpec {
  const spec = specs.find((s) => s.name === name);
  if (!spec) throw new InternalError(`no secret spec named ${name}: a module reads a secret it does not declare`);
  return spec;
}

/** A stack other machines reach without TLS (LibreChat AuthService: its cookies are Secure once
 * DOMAIN_SERVER is not localhost, and browsers drop Secure cookies over http://). */
function plainHttpWarnings(config: ResolvedConfig, modules: readonly StackModule[], target: Target): Notice[] {
  if (modules.some((m) => m.librechatUrl?.(config) !== undefined)) return [];
  const domain = config.librechat.domain;
  const httpDomain = domain !== undefined && domain.startsWith("http://") && !/^http:\/\/(localhost|127\.[0-9.]+)(:|\/|$)/.test(domain);
  // bindAddress is the Compose host's; a cluster is reached through its Ingress.
  if ((target === "kubernetes" || isLoopback(config.bindAddress)) && !httpDomain) return [];
  return [
    {
      path: httpDomain ? "librechat.domain" : "bindAddress",
      message: `LibreChat is served to other machines over plain HTTP (${httpDomain ? domain : `bindAddress ${config.bindAddress}`}): passwords cross the network unencrypted, and browsers drop LibreChat's Secure sign-in cookies on an http:// address other than localhost, so sign-ins do not stick`,
      hint: 'put TLS in front: security: { enabled: true, domain: "...", certificates: "self-signed" } for a LAN, or your own TLS proxy',
    },
  ];
}

/** `available`: every optional module (pipeline.ts passes the registry); those the config switches
 * on apply, in that order. */
export function buildStack(config: ResolvedConfig, available: readonly StackModule[], target: Target = "compose"): Stack {
  const modules = available.filter((m) => isEnabled(m, config));
  // In the catalog's order, core first, then each module's (on or off), as `llm secrets` lists them.
  const specs = [...CORE_SECRET_SPECS, ...available.flatMap((m) => m.secrets)];
  const warnings: Notice[] = [];
  const release = librechatRelease(config.librechat.image, warnings);
  // The models the config declares, then those a switched-on module needs (RAG's embedding model).
  const declared = stackModels(declaredModels(config), [...modules.flatMap((m) => m.models?.(config) ?? []), ...titleModelPull(config, warnings)]);
  const models = declared.map((m) => m.name);
  const core: Core = {
    services: [],
    privateFiles: [],
    librechatSecrets: ["CREDS_IV", "CREDS_KEY", "JWT_REFRESH_SECRET", "JWT_SECRET"].map((name) => fromSecret(name)),
    dataFolders: [],
  };
  const outsideMongo = config.librechat.env["MONGO_URI"];
  core.services.push(librechatService(config, release, librechatUrl(config, modules, target), target), ollamaService(config));
  // A MONGO_URI of the user's own is a MongoDB outside the stack: starting one nobody uses would
  // look like it holds LibreChat's data.
  if (outsideMongo === undefined) core.services.push(mongoService(config, core, warnings));
  else warnings.push(outsideMongoNotice(outsideMongo));
  if (config.librechat.search) core.services.push(meiliService(config, core));
  if (models.length > 0) core.services.push(modelPullService(config, models, target));
  const applied = applyModules(modules, config, target, core.services, release);
  // Nothing is published on a cluster's nodes: a service is reached by its Service (`listens`).
  // Host ports left in the model would be read by doctor and `llm models` as if they were.
  const services = applied.services
    .map((service) => (target === "kubernetes" && service.ports.length > 0 ? { ...service, ports: [] } : service))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const librechatEnv = secretEnvFile("librechat", [...core.librechatSecrets, ...applied.librechatSecrets], true);
  const { privateFiles, secrets, userSecretReaders } = wireSecrets(services, [
    librechatEnv,
    ...(target === "kubernetes" ? [userSecretsFile()] : []),
    ...core.privateFiles,
    ...applied.privateFiles,
  ]);
  const namedVolumes = [...new Set(services.flatMap((s) => s.mounts.filter((m) => m.kind === "volume").map((m) => m.source)))].sort();
  return {
    name: config.name,
    target,
    ...(target === "kubernetes" ? { kubernetes: { ...config.kubernetes, namespace: namespaceOf(config) } } : {}),
    services,
    namedVolumes,
    models,
    chatModels: declared.filter((m) => m.kind === "chat").map((m) => m.name),
    appEnv: appEnv(config, modules, target, moduleAppEnv(applied)),
    librechat: {
      version: release.version,
      configVersion: release.configVersion,
      services: applied.librechat,
      url: librechatUrl(config, modules, target),
      registration: registrationOpen(config, modules, target),
      ollamaBaseURL: applied.ollamaBaseURL,
      ollamaEndpointName: config.librechat.ollamaEndpointName,
      titleModel: config.librechat.titleModel,
      endpoints: customEndpoints(config),
      references: envReferences(config),
    },
    secrets: secrets.map((use) => ({ ...use, spec: specOf(specs, use.name) })).sort((a, b) => specs.indexOf(a.spec) - specs.indexOf(b.spec)),
    userSecretReaders,
    secretsFile: SECRETS_FILE,
    privateFiles,
    // On a cluster the data is in claims, not in folders beside the files.
    dataFolders: target === "compose" ? [...core.dataFolders, ...applied.dataFolders].sort((a, b) => (a.path < b.path ? -1 : 1)) : [],
    ...portsOwner(modules),
    moduleSteps: applied.steps,
    warnings: [...warnings, ...plainHttpWarnings(config, modules, target), ...applied.warnings],
    modules: applied.modules,
  };
}
