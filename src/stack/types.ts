// The domain model: what runs, with every decision made. Knows nothing about YAML or files.
import type { SecretSpec } from "./secret-specs.js";

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
  /** Names an older llm used for this family's folder (before folders carried a version). */
  legacy: string[];
}

export interface Healthcheck {
  test: string[];
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

export interface Stack {
  name: string;
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
  /** An env file for Compose's `env_file:`; `userSecrets` adds every secret a user put in secrets.env. */
  | { kind: "env"; vars: { name: string; value: SecretText }[]; userSecrets: boolean }
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
  metricsPath?: string;
  /** Path of the bearer token file, relative to prometheus.yml (never the token itself). */
  bearerTokenFile?: string;
}

/** Each optional module's model, once it is switched on: every module adds its own key to this
 * interface from its file (`declare module`), so the stack's type follows the registry. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModuleModels {}
