// What an optional module is: one entry in src/modules/registry.ts, off by default and switched
// on in the config. A module declares everything the rest of the tool needs to know about it:
// the rules its values follow, the host ports it claims, what it offers other modules (web UIs to
// route, metrics to scrape), how it reshapes the services, the secrets it creates, the files it
// writes, the next steps it prints and the doctor checks it adds. Nothing outside the module and
// its registry line names it.
import type { ConfigLayer, ResolvedConfig } from "../config/types.js";
import type { OutputSyntax } from "../outputs/types.js";
import type { LibrechatRelease } from "../stack/releases.js";
import type { SecretVar } from "../stack/secret-files.js";
import type { SecretSpec } from "../stack/secret-specs.js";
import type { EnvEntry, ModuleModels, Notice, PrivateFile, ScrapeJob } from "../stack/types.js";
import type { Wiring } from "../stack/wiring.js";

export type ModuleName = keyof ModuleModels & string;

/** A browser UI a module runs, which a proxy module may route (behind basic auth). */
export interface WebUi {
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

/** A host port the stack publishes, and the setting that chooses it. */
export interface PortClaim {
  path: string;
  port: number;
  /** What to change when the port is taken, when that is more than `path`. */
  setting?: string;
}

export interface RuleContext {
  config: ResolvedConfig;
  enabled: (name: ModuleName) => boolean;
  /** Whether the value at `path` came from the built-in defaults (the user did not choose it). */
  fromDefaults: (path: string) => boolean;
  /** Reports a problem at `path`; `blame` names the value whose file is shown when `path` is unset. */
  at: (path: string, message: string, hint?: string, blame?: string) => void;
}

/** A file the module writes, rendered from its model only. */
export interface ModuleOutput<Model> {
  path: string;
  template: string;
  syntax: OutputSyntax;
  view: (model: Model, context: { header: string; configFile: string }) => unknown;
}

export interface ModuleDefinition<Name extends ModuleName = ModuleName> {
  name: Name;
  /** A config that switches the module on (merged over the defaults): the test matrix's entry. */
  example: ConfigLayer;
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
  rules?: (context: RuleContext) => void;
  /** The host ports it publishes. */
  ports?: (config: ResolvedConfig) => PortClaim[];
  /** Once on, its service is the only one that publishes ports: every other claim is void. */
  exclusivePorts?: { service: string };
  offers?: (config: ResolvedConfig) => Partial<Offers>;
  apply: (wiring: Wiring, context: ModuleContext) => Applied<NonNullable<ModuleModels[Name]>>;
  secrets: readonly SecretSpec[];
  outputs: readonly ModuleOutput<NonNullable<ModuleModels[Name]>>[];
  nextSteps?: (model: NonNullable<ModuleModels[Name]>) => string[];
}

/** Type-checks a module's definition against its own model. */
export const defineModule = <Name extends ModuleName>(definition: ModuleDefinition<Name>): ModuleDefinition<Name> => definition;
