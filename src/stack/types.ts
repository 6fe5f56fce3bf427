// The domain model: what runs, with every decision made. Knows nothing about YAML or files.
// One model for every target: Compose and Kubernetes render the same services; the few fields
// only one target reads say so.
import type { ResolvedConfig } from "../config/types.js";
import type { SecretSpec } from "./secret-specs.js";

/** Where the stack runs: `docker compose` on one host, or a Kubernetes cluster. */
export type Target = ResolvedConfig["targets"][number];

/** A port a service serves on inside its container; Kubernetes names it and gives it a Service. */
interface Listen {
  /** An IANA-style port name: "http", "mongodb", "redis". */
  name: string;
  port: number;
}

interface PortBinding {
  /** Omitted: every interface, IPv4 and IPv6 (Traefik's public 80/443 only). */
  hostIp?: string;
  hostPort: number;
  containerPort: number;
}

export interface Mount {
  /** A path relative to the output folder (bind mount) or a named volume. */
  source: string;
  target: string;
  kind: "bind" | "volume";
  readOnly: boolean;
  /** Kept only while the container runs (logs): an emptyDir on Kubernetes, not a claim. */
  scratch?: boolean;
  /** Bind propagation: "rslave" lets node-exporter see mounts the host makes later. */
  propagation?: "rslave";
}

/** A data folder under data/ whose format belongs to one version of its service. */
export interface DataFolder {
  /** Relative to the output folder, e.g. "data/mongodb-8.0". */
  path: string;
  service: string;
  /** Folders of the same family hold the same service's data in other versions. */
  family: string;
  /** The version its files are written by, as the folder name says. */
  version: string;
  /** What a folder of another version means for the data in it. */
  change: "migrate" | "rebuild";
  /** For "migrate": what the data is, why another version cannot open it, how to move it across,
   * and the setting that chose the version. */
  migration?: { what: string; why: string; how: string; setting: string };
  /** Names an older llm used for this family's folder (before folders carried a version). */
  legacy: string[];
}

export interface Healthcheck {
  test: string[];
  /** The same check as an HTTP GET, for Kubernetes' httpGet probes (else they run `test`). */
  http?: { port: number; path: string };
  interval: string;
  timeout: string;
  retries: number;
  startPeriod: string;
  startInterval: string;
}

interface GpuReservation {
  driver: "nvidia";
  count?: number | "all";
  deviceIds?: string[];
}

export interface Service {
  name: string;
  /** One line for the comment above the service in docker-compose.yml. */
  summary: string;
  image: string;
  entrypoint?: string[];
  command?: string[];
  /** Non-secret variables, sorted by name. */
  environment: [string, string][];
  /** Files whose variables reach the container: `.env`, the secrets file. */
  envFiles: string[];
  ports: PortBinding[];
  mounts: Mount[];
  devices: string[];
  healthcheck?: Healthcheck;
  dependsOn: Dependency[];
  limits: { memory?: string; cpus?: number };
  gpu?: GpuReservation;
  restart: "unless-stopped" | "no";
  /** Container user, when not the image's own. */
  user?: string;
  privileged?: boolean;
  /** node-exporter sees the host's processes. */
  pid?: "host";
  /** Ports it serves on (Kubernetes: container ports and a Service). */
  listens?: Listen[];
  /** Kubernetes: pods of one service. Compose runs replicas as services of their own. */
  replicas?: {
    count: number;
    /** Variables every pod but the first adds (MEILI_NO_SYNC: only one LibreChat syncs search). */
    othersEnvironment?: [string, string][];
  };
  /** Its volumes hold files every replica must see (LibreChat's uploads): Kubernetes runs it as a
   * Deployment with claims of its own rather than a StatefulSet with a claim per pod. */
  sharedVolumes?: boolean;
  /** The group a Kubernetes pod's volumes belong to, where Compose relies on a named volume taking
   * the owner of the image's folder (LibreChat's node 1000, Prometheus' nobody, Grafana's 472). */
  fsGroup?: number;
  /** Services that connect to it besides those that depend on it (Prometheus scraping): the
   * sources of its Kubernetes NetworkPolicy. */
  clients?: string[];
  /** Each pod has its own DNS name (a headless Service): Prometheus finds LibreChat's pods so. */
  podsDiscovered?: boolean;
}

interface Dependency {
  service: string;
  condition: "service_healthy" | "service_started" | "service_completed_successfully";
  /** Compose restarts this service when it recreates the dependency (nginx, so it drops connections to the old container). */
  restart?: boolean;
}

export interface EnvEntry {
  key: string;
  value: string;
  comment?: string;
}

export interface CustomEndpoint {
  name: string;
  apiKey: string;
  baseURL: string;
  models: { default: string[]; fetch: boolean };
  titleConvo: boolean;
  titleModel: string;
  modelDisplayLabel: string;
}

/** A `${NAME}` in a field LibreChat replaces from its environment (a custom endpoint's apiKey or
 * baseURL): left as it is when NAME is unset, so the endpoint fails at its first request. */
export interface EnvReference {
  /** The config path, e.g. "librechat.endpoints[0].apiKey". */
  path: string;
  name: string;
  endpoint: string;
  field: "apiKey" | "baseURL";
  /** The reference is the field's whole value (LibreChat then refuses the request by name). */
  whole: boolean;
}

/** What the Kubernetes manifests are written with: the config's `kubernetes` section, its
 * namespace decided (the stack's name unless set). */
export type KubernetesSettings = Omit<ResolvedConfig["kubernetes"], "namespace"> & { namespace: string };

export interface Stack {
  name: string;
  /** The target these services are built for. */
  target: Target;
  /** Kubernetes only. */
  kubernetes?: KubernetesSettings;
  services: Service[];
  namedVolumes: string[];
  /** Every declared model: what the stack pulls. */
  models: string[];
  /** The models LibreChat offers: the declared ones that can chat. */
  chatModels: string[];
  /** LibreChat's non-secret settings, in the order written to `.env`. */
  appEnv: EnvEntry[];
  librechat: {
    /** The release the files are written for ("v0.8.7"): the image's tag, or the nearest release known. */
    version: string;
    /** librechat.yaml's `version`: that release's CONFIG_VERSION. */
    configVersion: string;
    /** The LibreChat services (one, or the replicas), in order: commands run in the first. */
    services: string[];
    url: string;
    /** Whether anyone who reaches the UI may sign up (ALLOW_REGISTRATION). */
    registration: boolean;
    /** The OpenAI-compatible /v1 root LibreChat calls: Ollama itself or its load balancer. */
    ollamaBaseURL: string;
    /** Starts with "Ollama": LibreChat fetches the model list only for such names. */
    ollamaEndpointName: string;
    titleModel: string;
    endpoints: CustomEndpoint[];
    /** The variables librechat.yaml names as ${NAME} where LibreChat substitutes them, in config order. */
    references: EnvReference[];
  };
  /** The generated secrets the stack needs and the services that read each (values never enter the model). */
  secrets: SecretUse[];
  /** The services that receive the secrets a user adds to secrets.env (API keys). */
  userSecretReaders: string[];
  /** The one file a person reads, edits and backs up secrets in. */
  secretsFile: string;
  /** Gitignored files derived from secrets.env under secrets/, each read only by the services that need it. */
  privateFiles: PrivateFile[];
  /** Data folders whose format depends on the image's version. */
  dataFolders: DataFolder[];
  /** The module that is the only one to publish ports, when one is on (security: Traefik). */
  portsOwner?: { module: string; service: string };
  /** What the switched-on modules add to `llm generate`'s next steps. */
  moduleSteps: string[];
  /** What the stack noticed that the user should know; nothing here stops a run. */
  warnings: Notice[];
  /** The optional modules that are switched on, with every decision made. */
  modules: ModuleModels;
}

export interface SecretUse {
  name: string;
  /** Services that receive the value (through a private file), sorted. */
  readers: string[];
  /** Its format and what breaks when it changes. */
  spec: SecretSpec;
}

/** A value built from literal text and secrets, e.g. a URI with a password in it. */
export type SecretText = readonly (string | { secret: string })[];

export type PrivateContent =
  /** The secret's value, alone. */
  | { kind: "value"; secret: string }
  /** One htpasswd line: `user` and a bcrypt hash of the secret. */
  | { kind: "htpasswd"; secret: string; user: string }
  /** An env file for Compose's `env_file:`; `userSecrets` adds every secret a user put in
   * secrets.env. `literal`: read by kustomize, which keeps every character after the `=`, so
   * values are written as they are, never quoted for Compose. */
  | { kind: "env"; vars: { name: string; value: SecretText }[]; userSecrets: boolean; literal?: boolean }
  /** A configuration file of a service, one line each. */
  | { kind: "lines"; lines: SecretText[] };

export interface PrivateFile {
  /** Relative to the output folder, under PRIVATE_DIR. */
  path: string;
  /** 0600 when only Compose (or a container's root) reads it; 0644 for a container's non-root
   * user, which the 0700 secrets/ folder still hides from other users of the host. */
  mode: number;
  content: PrivateContent;
  /** Services that mount or load it (filled in once every module is applied). */
  readers: string[];
}

export interface Notice {
  /** The config path it is about ("" for the stack as a whole). */
  path: string;
  message: string;
  hint?: string;
}

export interface ScrapeJob {
  job: string;
  /** host:port, sorted. */
  targets: string[];
  /** Kubernetes: every pod behind this headless Service's DNS name (A records), instead of targets. */
  dns?: { name: string; port: number };
  metricsPath?: string;
  /** Path of the bearer token file, relative to prometheus.yml (never the token itself). */
  bearerTokenFile?: string;
}

/** Each optional module's model, once it is switched on: every module adds its own key to this
 * interface from its file (`declare module`), so the stack's type follows the registry. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModuleModels {}
