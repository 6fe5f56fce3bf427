// The optional modules, applied in a fixed order to the core services: scaling reshapes LibreChat
// and Ollama, monitoring scrapes whatever then exists, security fronts it all and unpublishes the
// rest. Each module only adds files and services when switched on.
import type { LlmConfig } from "../../config/types.js";
import { secretNamesFor } from "../../secrets/catalog.js";
import { LIBRECHAT_PORT, OLLAMA_PORT } from "../helpers.js";
import type { EnvEntry, Modules, PrivateFile, Service } from "../types.js";
import { addMonitoring } from "./monitoring.js";
import { REDIS_URI, scaleOut } from "./scaling.js";
import { secure } from "./security.js";
import type { Wiring } from "./wiring.js";

export interface ModulesApplied {
  services: Service[];
  modules: Modules;
  privateFiles: PrivateFile[];
  secrets: string[];
  ollamaBaseURL: string;
}

export function applyModules(config: LlmConfig, core: Service[]): ModulesApplied {
  let wiring: Wiring = { services: core, librechat: ["librechat"], chatEntry: { service: "librechat", url: `http://librechat:${LIBRECHAT_PORT}` } };
  const modules: Modules = {};
  const privateFiles: PrivateFile[] = [];
  let ollamaBaseURL = `http://ollama:${OLLAMA_PORT}/v1`;
  if (config.scaling?.enabled) {
    const scaled = scaleOut(config, wiring);
    wiring = scaled.wiring;
    modules.scaling = scaled.module;
    ollamaBaseURL = scaled.ollamaBaseURL ?? ollamaBaseURL;
  }
  if (config.monitoring?.enabled) {
    const monitored = addMonitoring(config, wiring);
    wiring = monitored.wiring;
    modules.monitoring = monitored.module;
    privateFiles.push(...monitored.privateFiles);
  }
  if (config.security?.enabled) {
    const secured = secure(config, wiring, modules.monitoring !== undefined);
    wiring = secured.wiring;
    modules.security = secured.module;
    privateFiles.push(...secured.privateFiles);
  }
  privateFiles.sort((a, b) => (a.path < b.path ? -1 : 1));
  const secrets = secretNamesFor({ monitoring: modules.monitoring !== undefined, adminAuth: privateFiles.some((file) => file.format === "htpasswd") });
  return { services: [...wiring.services], modules, privateFiles, secrets, ollamaBaseURL };
}

/** LibreChat's public URL when Traefik serves it. */
export function securedUrl(config: LlmConfig): string | undefined {
  return config.security?.enabled && config.security.domain ? `https://${config.security.domain}` : undefined;
}

/** LibreChat settings the modules add to `.env` (before the user's own librechat.env). */
export function moduleAppEnv(config: LlmConfig): EnvEntry[] {
  const out: EnvEntry[] = [];
  const scaling = config.scaling?.enabled === true;
  const security = config.security?.enabled === true;
  if (scaling) {
    out.push(
      { key: "USE_REDIS", value: "true", comment: "Scaling: the replicas share sessions and caches through Redis" },
      { key: "REDIS_URI", value: REDIS_URI },
    );
  }
  const proxies = [...(security ? ["Traefik"] : []), ...(scaling ? ["nginx"] : [])];
  if (proxies.length > 0) {
    out.push({
      key: "TRUST_PROXY",
      value: String(proxies.length),
      comment: `Behind ${proxies.join(" then ")}: the client's address is ${proxies.length} X-Forwarded-For hop${proxies.length === 1 ? "" : "s"} back`,
    });
  }
  return out;
}
