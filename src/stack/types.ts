// The domain model: what runs, with every decision made. Knows nothing about YAML or files.

export interface PortBinding {
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
}

export interface Healthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  startPeriod: string;
  startInterval: string;
}

export interface GpuReservation {
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
  /** Container user, e.g. "0:0" where an image's non-root user cannot write a bind-mounted data/ folder. */
  user?: string;
  privileged?: boolean;
}

export interface Dependency {
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
  models: string[];
  /** LibreChat's non-secret settings, in the order written to `.env`. */
  appEnv: EnvEntry[];
  librechat: {
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
  /** Names of the secrets the stack needs (values never enter the model). */
  secrets: string[];
  /** Files the generated stack reads that `generate` itself writes. */
  secretsFile: string;
  /** Gitignored files derived from secrets (mode 0600), each mounted into the one service that needs it. */
  privateFiles: PrivateFile[];
  /** The optional modules that are switched on, with every decision made. */
  modules: Modules;
}

export interface PrivateFile {
  /** Relative to the output folder, under PRIVATE_DIR. */
  path: string;
  /** The secret whose value the file holds, or whose bcrypt hash it holds for `user` (htpasswd). */
  secret: string;
  format: "value" | "htpasswd";
  user?: string;
}

export interface ScrapeJob {
  job: string;
  /** host:port, sorted. */
  targets: string[];
  metricsPath?: string;
  /** Path of the bearer token file, relative to prometheus.yml (never the token itself). */
  bearerTokenFile?: string;
}

export interface MonitoringModule {
  scrapeInterval: string;
  retention: string;
  jobs: ScrapeJob[];
  datasource: { uid: string; name: string; url: string };
  /** Compose project name: cAdvisor labels select this stack's containers by it. */
  project: string;
  /** Where dashboards JSON files are mounted inside Grafana. */
  dashboardsPath: string;
  grafanaUrl: string;
}

export interface Route {
  name: string;
  host: string;
  /** Backend URLs inside the compose network. */
  servers: string[];
  /** Admin UIs get basic auth in front. */
  adminAuth: boolean;
}

export interface SecurityModule {
  domain: string;
  /** Present when certificates come from Let's Encrypt. */
  acme?: { email: string; caServer?: string; storage: string };
  routes: Route[];
  rateLimit: { average: number; burst: number };
  /** Container path of the htpasswd file, when some route is an admin UI. */
  usersFile?: string;
  /** Traefik serves its own Prometheus metrics on the internal entry point. */
  metrics: boolean;
  /** Container port of the internal entry point (ping, metrics); never published. */
  internalPort: number;
}

export interface Upstream {
  name: string;
  /** Port nginx listens on inside its container for this upstream. */
  listenPort: number;
  /** host:port of each replica, in order. */
  servers: string[];
  /** Replies stream (server-sent events), so nothing is buffered. */
  streaming: boolean;
}

export interface ScalingModule {
  upstreams: Upstream[];
  clientMaxBodySize: string;
  /** Path nginx answers itself, for its own healthcheck. */
  healthPath: string;
  /** Where the generated nginx.conf folder is mounted. */
  configDir: string;
}

export interface Modules {
  monitoring?: MonitoringModule;
  security?: SecurityModule;
  scaling?: ScalingModule;
}
