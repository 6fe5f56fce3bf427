// Settings only one target reads. A config for a cluster that sets where Compose publishes ports
// (bindAddress) or Traefik's rate limit would otherwise be accepted and the setting would silently
// do nothing there: each such setting the user chose is named in a warning, with what stands in
// for it on that target. The core's settings are listed here; a module lists its own
// (StackModule.onlyOnCompose), so this file never names a module.
import type { Resolution } from "../config/resolve.js";
import { isAtOrBelow } from "../util/json-path.js";
import { isEnabled, type StackModule } from "./module.js";
import type { Notice, Target } from "./types.js";

/** A setting the Compose target reads and the Kubernetes target has no use for. */
export interface ComposeOnlySetting {
  path: string;
  /** What does its job on a cluster, as the warning's second half. */
  onKubernetes: string;
  hint: string;
}

/** The core's: where Compose publishes ports. A cluster's stack has no host ports (stack/build.ts),
 * so doctor and `llm models` do not read them there either. */
export const CORE_COMPOSE_ONLY: readonly ComposeOnlySetting[] = [
  {
    path: "bindAddress",
    onKubernetes: "nothing is published on a node; LibreChat is reached through the Ingress (security) or `kubectl port-forward`",
    hint: "remove bindAddress from a config that targets only kubernetes",
  },
  {
    path: "ollama.publish",
    onKubernetes: "nothing is published on a node; pods reach Ollama by its Service, `llm models` by `kubectl port-forward svc/ollama 11434:11434` and --url",
    hint: "remove ollama.publish",
  },
  {
    path: "ollama.port",
    onKubernetes: "nothing is published on a node, so there is no host port to choose; `kubectl port-forward` picks the local one",
    hint: "remove ollama.port",
  },
];

/** Warnings for settings the user chose (in `file`, the config, or with --set) that none of the
 * config's targets, nor this run's, reads. Defaults and presets set their values for every target
 * alike, so only those two layers count. */
export function unreadSettings(resolution: Resolution, modules: readonly StackModule[], file: string): Notice[] {
  const { config, merged, declaredTargets } = resolution;
  const targets = new Set<Target>([...declaredTargets, ...config.targets]);
  const chosen = [...merged.provenance].filter(([, layer]) => layer.source === file || layer.source === "--set");
  const chosenAt = (path: string) => chosen.find(([key]) => isAtOrBelow(key, path))?.[1];
  const out: Notice[] = [];
  if (!targets.has("compose")) {
    for (const setting of [...CORE_COMPOSE_ONLY, ...modules.filter((m) => isEnabled(m, config)).flatMap((m) => m.onlyOnCompose ?? [])]) {
      const layer = chosenAt(setting.path);
      if (!layer) continue;
      out.push({
        path: setting.path,
        message: `${layer.source === "--set" ? "(from --set) " : ""}read by the compose target only, and the config targets kubernetes alone: ${setting.onKubernetes}`,
        hint: setting.hint,
      });
    }
  }
  // A value below the section, not an empty `kubernetes: {}`.
  if (!targets.has("kubernetes") && chosen.some(([key]) => key.startsWith("kubernetes.") || key.startsWith("kubernetes["))) {
    out.push({
      path: "kubernetes",
      message: "the kubernetes settings are read by the kubernetes target only, which `targets` does not list: they change nothing",
      hint: 'add "kubernetes" to targets, or remove the kubernetes section',
    });
  }
  return out;
}
