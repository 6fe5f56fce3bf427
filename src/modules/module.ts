// What an optional module is: one entry in src/modules/registry.ts, off by default and switched
// on in the config. A module declares everything the rest of the tool needs to know about it:
// what the stack builder asks of it (stack/module.ts: how it reshapes the services, what it
// offers the others, its secrets, its next steps) and, here, the rules its values follow, the host
// ports it claims, the files it writes and the config that switches it on for the test matrix.
// Nothing outside the module and its registry line names it.
import type { ConfigLayer, ResolvedConfig } from "../config/types.js";
import type { OutputSyntax } from "../render/engine.js";
import type { ModuleName, StackModule } from "../stack/module.js";
import type { ModuleModels, Target } from "../stack/types.js";

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
  /** The config's targets (not narrowed by --target): a rule about what one target writes applies
   * when the config declares it. */
  targets: readonly Target[];
  /** Reports a problem at `path`; `blame` names the value whose file is shown when `path` is unset. */
  at: (path: string, message: string, hint?: string, blame?: string) => void;
}

/** A file the module writes, rendered from its model only. */
interface ModuleOutput<Model> {
  /** As Compose lays it out; for Kubernetes a configuration file goes under kubernetes/config/
   * (where its ConfigMap is made from) and a manifest names its place under kubernetes/. */
  path: string;
  template: string;
  syntax: OutputSyntax;
  /** The targets it is written for; default Compose only. */
  targets?: readonly Target[];
  view: (model: Model, context: { header: string; configFile: string }) => unknown;
}

export interface ModuleDefinition<Name extends ModuleName = ModuleName> extends StackModule<Name> {
  /** A config that switches the module on (merged over the defaults): the test matrix's entry. */
  example: ConfigLayer;
  rules?: (context: RuleContext) => void;
  /** The host ports it publishes. */
  ports?: (config: ResolvedConfig) => PortClaim[];
  outputs: readonly ModuleOutput<NonNullable<ModuleModels[Name]>>[];
}

/** Type-checks a module's definition against its own model. */
export const defineModule = <Name extends ModuleName>(definition: ModuleDefinition<Name>): ModuleDefinition<Name> => definition;
