// Every optional module, in the order they apply: scaling reshapes LibreChat and Ollama, rag
// wires every LibreChat replica to one rag_api that embeds through whichever Ollama scaling left,
// monitoring scrapes whatever then exists, security fronts it all and unpublishes the rest.
// Adding a module: its file here, one line in MODULES (see ARCHITECTURE.md, "Adding a module").
// The stack builder (handed this list by pipeline.ts), the config rules, the output registry, the
// secrets catalog, the next steps, doctor's port map and the test matrix all read it.
import type { ConfigRule } from "../config/resolve.js";
import type { ResolvedConfig } from "../config/types.js";
import type { Diagnostic } from "../errors.js";
import { CORE_SECRET_SPECS, type SecretSpec } from "../stack/secret-specs.js";
import { enabledNames, isEnabled } from "../stack/module.js";
import type { ModuleDefinition, PortClaim, RuleContext } from "./module.js";
import { monitoring } from "./monitoring.js";
import { rag } from "./rag.js";
import { scaling } from "./scaling.js";
import { security } from "./security.js";

export const MODULES: readonly ModuleDefinition[] = [scaling, rag, monitoring, security] as readonly ModuleDefinition[];

const enabledModules = (config: ResolvedConfig): ModuleDefinition[] => MODULES.filter((m) => isEnabled(m, config));

/** Every secret the tool generates: the core services' and every module's, on or off (a module's
 * secret stays in secrets.env when it is switched off; it is still not the user's own). */
const ALL_SECRET_SPECS: readonly SecretSpec[] = [...CORE_SECRET_SPECS, ...MODULES.flatMap((m) => m.secrets)];

export function secretSpec(name: string): SecretSpec | undefined {
  return ALL_SECRET_SPECS.find((spec) => spec.name === name);
}

export const isGeneratedSecret = (name: string): boolean => secretSpec(name) !== undefined;

/** The core's own host ports (LibreChat's entry, Ollama's API when published). */
function corePorts(config: ResolvedConfig): PortClaim[] {
  return [{ path: "librechat.port", port: config.librechat.port }, ...(config.ollama.publish ? [{ path: "ollama.port", port: config.ollama.port }] : [])];
}

/** Every host port the stack publishes, with the setting that chooses it. */
export function portClaims(config: ResolvedConfig): PortClaim[] {
  const modules = enabledModules(config);
  const exclusive = modules.find((m) => m.exclusivePorts);
  if (exclusive) return exclusive.ports?.(config) ?? [];
  return [...corePorts(config), ...modules.flatMap((m) => m.ports?.(config) ?? [])];
}

/** Each switched-on module's rules, and the one they share: no two published ports collide. */
export const moduleRules: ConfigRule = (config, merged, fileOf, declaredTargets) => {
  const out: Diagnostic[] = [];
  const fromDefaults = (path: string) => merged.provenance.get(path)?.source === "defaults";
  const at: RuleContext["at"] = (path, message, hint, blame = path) => out.push({ file: fileOf(blame), path, message, ...(hint ? { hint } : {}) });
  const modules = enabledModules(config);
  const enabled = enabledNames(modules);
  for (const module of modules) module.rules?.({ config, enabled, fromDefaults, at, targets: declaredTargets });
  const byPort = new Map<number, string[]>();
  for (const claim of portClaims(config)) byPort.set(claim.port, [...new Set([...(byPort.get(claim.port) ?? []), claim.path])]);
  for (const [port, paths] of byPort) {
    // Host ports: a config for a cluster alone publishes none.
    if (paths.length < 2 || !declaredTargets.includes("compose")) continue;
    // Blame the port the user chose rather than the default it collides with.
    const blamed = paths.find((path) => !fromDefaults(path)) ?? paths[paths.length - 1]!;
    at(blamed, `port ${port} is already used by ${paths.filter((path) => path !== blamed).join(", ")}`, `choose another port for ${blamed}`);
  }
  return out;
};
