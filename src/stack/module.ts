// What the stack builder asks of an optional module (src/modules/ holds them): whether the config
// switches it on, how it reshapes the services, what it offers the others, its secrets and its
// next steps. The builder is handed the modules (pipeline.ts passes the registry), so stack/
// knows the shape of a module and never which ones exist.
import type { ResolvedConfig } from "../config/types.js";
import type { LibrechatRelease } from "./releases.js";
import type { SecretVar } from "./secret-files.js";
import type { SecretSpec } from "./secret-specs.js";
import type { DeclaredModel } from "./models.js";
import type { DataFolder, EnvEntry, ModuleModels, Notice, PrivateFile, ScrapeJob, Target } from "./types.js";
import type { Wiring } from "./wiring.js";
import type { ComposeOnlySetting } from "./target-settings.js";

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
  /** The target the services are built for: a module reshapes them for it (on Kubernetes, pods of
   * one Deployment instead of numbered services behind nginx; an Ingress instead of Traefik). */
  target: Target;
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
  /** Data folders of the databases it runs, each named after the version that writes it. */
  dataFolders?: DataFolder[];
  /** What it puts in the chat path (nginx, Traefik, an ingress controller): one X-Forwarded-For
   * hop for TRUST_PROXY. */
  proxy?: string;
}

export interface StackModule<Name extends ModuleName = ModuleName> {
  name: Name;
  /** Whether the config switches it on (default: `config[name].enabled`). */
  enabled?: (config: ResolvedConfig) => boolean;
  /** Reachable from other machines once on (Let's Encrypt means a public domain). */
  public?: (config: ResolvedConfig) => boolean;
  /** LibreChat's public URL when the module serves it. */
  librechatUrl?: (config: ResolvedConfig) => string | undefined;
  /** Routes a UI of another module: its public URL; undefined where it does not route it. */
  routeUrl?: (config: ResolvedConfig, ui: string, target: Target) => string | undefined;
  /** Once on, its service is the only one that publishes ports: every other claim is void. */
  exclusivePorts?: { service: string };
  offers?: (config: ResolvedConfig, target: Target) => Partial<Offers>;
  /** Models it needs Ollama to have: pulled with the declared ones (an embedding model is never offered for chat). */
  models?: (config: ResolvedConfig) => DeclaredModel[];
  apply: (wiring: Wiring, context: ModuleContext) => Applied<NonNullable<ModuleModels[Name]>>;
  secrets: readonly SecretSpec[];
  nextSteps?: (model: NonNullable<ModuleModels[Name]>) => string[];
  /** Its settings only the Compose target reads: set by the user in a config that targets only
   * Kubernetes, each is named in a warning (target-settings.ts). */
  onlyOnCompose?: readonly ComposeOnlySetting[];
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
export function offersOf(modules: readonly StackModule[], config: ResolvedConfig, target: Target, except?: ModuleName): Offers {
  const offers: Offers = { webUis: [], metrics: [] };
  for (const module of modules) {
    if (module.name === except || !module.offers) continue;
    const offered = module.offers(config, target);
    offers.webUis.push(...(offered.webUis ?? []));
    offers.metrics.push(...(offered.metrics ?? []));
  }
  return offers;
}
