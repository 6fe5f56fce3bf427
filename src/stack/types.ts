// The domain model: what runs, with every decision made. Knows nothing about YAML or files.

export interface PortBinding {
  hostIp: string;
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
  dependsOn: { service: string; condition: "service_healthy" | "service_started" | "service_completed_successfully" }[];
  limits: { memory?: string; cpus?: number };
  gpu?: GpuReservation;
  restart: "unless-stopped" | "no";
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
    /** Starts with "Ollama": LibreChat fetches the model list only for such names. */
    ollamaEndpointName: string;
    titleModel: string;
    endpoints: CustomEndpoint[];
  };
  /** Names of the secrets the stack needs (values never enter the model). */
  secrets: string[];
  /** Files the generated stack reads that `generate` itself writes. */
  secretsFile: string;
}
