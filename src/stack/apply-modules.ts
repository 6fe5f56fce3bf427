// Applies the switched-on modules to the core services, in the registry's order: each one sees
// the services as the ones before it left them, and what every other module offers.
import type { ResolvedConfig } from "../config/types.js";
import { enabledNames, offersOf, type ModuleContext, type StackModule } from "./module.js";
import { LIBRECHAT_PORT, OLLAMA_PORT } from "./helpers.js";
import type { LibrechatRelease } from "./releases.js";
import type { SecretVar } from "./secret-files.js";
import type { EnvEntry, ModuleModels, Notice, PrivateFile, Service } from "./types.js";
import type { Wiring } from "./wiring.js";

export interface ModulesApplied {
  services: Service[];
  modules: ModuleModels;
  privateFiles: PrivateFile[];
  librechatSecrets: SecretVar[];
  librechatEnv: EnvEntry[];
  ollamaBaseURL: string;
  warnings: Notice[];
  /** The LibreChat services, in order. */
  librechat: string[];
  /** The proxies chat traffic passes through, outermost first. */
  proxies: string[];
  /** Each module's next steps, in the registry's order. */
  steps: string[];
}

/** `modules`: the switched-on ones, in the registry's order. */
export function applyModules(modules: readonly StackModule[], config: ResolvedConfig, core: Service[], release: LibrechatRelease): ModulesApplied {
  let wiring: Wiring = { services: core, librechat: ["librechat"], chatEntry: { service: "librechat", url: `http://librechat:${LIBRECHAT_PORT}` } };
  const out: ModulesApplied = {
    services: [],
    modules: {},
    privateFiles: [],
    librechatSecrets: [],
    librechatEnv: [],
    ollamaBaseURL: `http://ollama:${OLLAMA_PORT}/v1`,
    warnings: [],
    librechat: [],
    proxies: [],
    steps: [],
  };
  const enabled = enabledNames(modules);
  const router = modules.find((m) => m.routeUrl);
  for (const module of modules) {
    const context: ModuleContext = {
      config,
      release,
      enabled,
      offers: offersOf(modules, config, module.name),
      publicUrl: (ui, fallback) => router?.routeUrl?.(config, ui) ?? fallback,
    };
    const applied = module.apply(wiring, context);
    wiring = applied.wiring;
    (out.modules as Record<string, unknown>)[module.name] = applied.model;
    out.privateFiles.push(...(applied.privateFiles ?? []));
    out.librechatSecrets.push(...(applied.librechatSecrets ?? []));
    out.librechatEnv.push(...(applied.librechatEnv ?? []));
    out.warnings.push(...(applied.warnings ?? []));
    if (applied.ollamaBaseURL) out.ollamaBaseURL = applied.ollamaBaseURL;
    if (module.proxy) out.proxies.unshift(module.proxy);
    out.steps.push(...(module.nextSteps?.(applied.model as never) ?? []));
  }
  return { ...out, services: [...wiring.services], librechat: [...wiring.librechat] };
}

/** LibreChat settings the modules add to `.env` (before the user's own librechat.env). */
export function moduleAppEnv(applied: ModulesApplied): EnvEntry[] {
  const out = [...applied.librechatEnv];
  const hops = applied.proxies.length;
  if (hops > 0) {
    out.push({
      key: "TRUST_PROXY",
      value: String(hops),
      comment: `Behind ${applied.proxies.join(" then ")}: the client's address is ${hops} X-Forwarded-For hop${hops === 1 ? "" : "s"} back`,
    });
  }
  return out;
}
