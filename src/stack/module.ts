// What the stack builder asks of an optional module (src/modules/ holds them): whether the config
// switches it on, how it reshapes the services, what it offers the others, its secrets and its
// next steps. The builder is handed the modules (pipeline.ts passes the registry), so stack/
// knows the shape of a module and never which ones exist.
import type { ResolvedConfig } from "../config/types.js";
import type { LibrechatRelease } from "./releases.js";
import type { SecretVar } from "./secret-files.js";
import type { SecretSpec } from "./secret-specs.js";
import type { EnvEntry, ModuleModels, Notice, PrivateFile, ScrapeJob } from "./types.js";
import type { Wiring } from "./wiring.js";

export type ModuleName = keyof ModuleModels & string;

/** A browser UI a module runs, which a proxy module may route (behind basic auth). */
interface WebUi {
  name: string;
  /** Where the proxy reaches it inside the stack. */
  url: string;
}

/** What every switched-on module offers the others, known from the config before any runs. */
export interface Offers {
  webUis: WebUi[];
  metrics: ScrapeJob[];
}

export interface ModuleContext {
  config: ResolvedConfig;
  release: LibrechatRelease;
  enabled: (name: ModuleName) => boolean;
  /** What the other switched-on modules offer. */
  offers: Offers;
  /** A UI's public URL: the proxy module's route for it, or `fallback` (127.0.0.1 port). */
  publicUrl: (ui: string, fallback: string) => string;
}

export interface Applied<Model> {
  wiring: Wiring;
  model: Model;
  privateFiles?: PrivateFile[];
  /** Variables added to LibreChat's private env file (REDIS_URI, METRICS_SECRET). */
  librechatSecrets?: SecretVar[];
  /** Settings added to LibreChat's committed .env. */
  librechatEnv?: EnvEntry[];
  warnings?: Notice[];
  /** The /v1 root LibreChat calls when the module puts something in front of Ollama. */
  ollamaBaseURL?: string;
}

export interface StackModule<Name extends ModuleName = ModuleName> {
  name: Name;
  /** Whether the config switches it on (default: `config[name].enabled`). */
  enabled?: (config: ResolvedConfig) => boolean;
  /** Chat traffic passes through it (nginx, Traefik): one X-Forwarded-For hop for TRUST_PROXY. */
  proxy?: string;
  /** Reachable from other machines once on (Let's Encrypt means a public domain). */
  public?: (config: ResolvedConfig) => boolean;
  /** LibreChat's public URL when the module serves it. */
  librechatUrl?: (config: ResolvedConfig) => string | undefined;
  /** Routes a UI of another module: its public URL. */
  routeUrl?: (config: ResolvedConfig, ui: string) => string;
  /** Once on, its service is the only one that publishes ports: every other claim is void. */
  exclusivePorts?: { service: string };
  offers?: (config: ResolvedConfig) => Partial<Offers>;
  apply: (wiring: Wiring, context: ModuleContext) => Applied<NonNullable<ModuleModels[Name]>>;
  secrets: readonly SecretSpec[];
  nextSteps?: (model: NonNullable<ModuleModels[Name]>) => string[];
}

export function isEnabled(module: StackModule, config: ResolvedConfig): boolean {
  return module.enabled ? module.enabled(config) : (config as unknown as Record<string, { enabled?: boolean }>)[module.name]?.enabled === true;
}

/** `enabled(name)` over the modules a config switches on. */
export function enabledNames(modules: readonly StackModule[]): (name: ModuleName) => boolean {
  const on = new Set(modules.map((m) => m.name));
  return (name) => on.has(name);
}

/** What the switched-on modules offer each other (`except` one of them: not itself). */
export function offersOf(modules: readonly StackModule[], config: ResolvedConfig, except?: ModuleName): Offers {
  const offers: Offers = { webUis: [], metrics: [] };
  for (const module of modules) {
    if (module.name === except || !module.offers) continue;
    const offered = module.offers(config);
    offers.webUis.push(...(offered.webUis ?? []));
    offers.metrics.push(...(offered.metrics ?? []));
  }
  return offers;
}
