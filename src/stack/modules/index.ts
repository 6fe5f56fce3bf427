// The optional modules, applied in a fixed order to the core services: scaling reshapes LibreChat
// and Ollama, monitoring scrapes whatever then exists, security fronts it all and unpublishes the
// rest. Each module only adds files and services when switched on.
import type { ResolvedConfig } from "../../config/types.js";
import { LIBRECHAT_PORT, OLLAMA_PORT } from "../helpers.js";
import type { LibrechatRelease } from "../releases.js";
import type { SecretVar } from "../secret-files.js";
import type { EnvEntry, Modules, Notice, PrivateFile, Service } from "../types.js";
import { addMonitoring } from "./monitoring.js";
import { scaleOut } from "./scaling.js";
import { secure } from "./security.js";
import type { Wiring } from "./wiring.js";

export interface ModulesApplied {
  services: Service[];
  modules: Modules;
  privateFiles: PrivateFile[];
  /** Variables the modules add to LibreChat's secrets file (REDIS_URI, METRICS_SECRET). */
  librechatSecrets: SecretVar[];
  ollamaBaseURL: string;
  warnings: Notice[];
  /** The LibreChat services, in order. */
  librechat: string[];
}

export function applyModules(config: ResolvedConfig, core: Service[], release: LibrechatRelease): ModulesApplied {
  let wiring: Wiring = { services: core, librechat: ["librechat"], chatEntry: { service: "librechat", url: `http://librechat:${LIBRECHAT_PORT}` } };
  const modules: Modules = {};
  const privateFiles: PrivateFile[] = [];
  const librechatSecrets: SecretVar[] = [];
  const warnings: Notice[] = [];
  let ollamaBaseURL = `http://ollama:${OLLAMA_PORT}/v1`;
  if (config.scaling.enabled) {
    const scaled = scaleOut(config, wiring);
    wiring = scaled.wiring;
    modules.scaling = scaled.module;
    ollamaBaseURL = scaled.ollamaBaseURL ?? ollamaBaseURL;
    privateFiles.push(...scaled.privateFiles);
    librechatSecrets.push(...scaled.librechatSecrets);
  }
  if (config.monitoring.enabled) {
    const monitored = addMonitoring(config, wiring, release);
    wiring = monitored.wiring;
    modules.monitoring = monitored.module;
    privateFiles.push(...monitored.privateFiles);
    librechatSecrets.push(...monitored.librechatSecrets);
    warnings.push(...monitored.warnings);
  }
  if (config.security.enabled) {
    const secured = secure(config, wiring, modules.monitoring !== undefined);
    wiring = secured.wiring;
    modules.security = secured.module;
    privateFiles.push(...secured.privateFiles);
  }
  return { services: [...wiring.services], modules, privateFiles, librechatSecrets, ollamaBaseURL, warnings, librechat: [...wiring.librechat] };
}

/** LibreChat's public URL when Traefik serves it. */
export function securedUrl(config: ResolvedConfig): string | undefined {
  return config.security.enabled && config.security.domain ? `https://${config.security.domain}` : undefined;
}

/** LibreChat settings the modules add to `.env` (before the user's own librechat.env). */
export function moduleAppEnv(config: ResolvedConfig): EnvEntry[] {
  const out: EnvEntry[] = [];
  const scaling = config.scaling.enabled;
  const security = config.security.enabled;
  if (scaling) {
    out.push({ key: "USE_REDIS", value: "true", comment: "Scaling: the replicas share sessions and caches through Redis (REDIS_URI, with its password, is in secrets/librechat.env)" });
  }
  const proxies = [...(security ? ["Traefik"] : []), ...(scaling ? ["nginx"] : [])];
  if (proxies.length > 0) {
    out.push({ key: "TRUST_PROXY", value: String(proxies.length), comment: `Behind ${proxies.join(" then ")}: the client's address is ${proxies.length} X-Forwarded-For hop${proxies.length === 1 ? "" : "s"} back` });
  }
  return out;
}
