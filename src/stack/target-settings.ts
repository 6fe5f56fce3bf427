// Settings only one target reads. A config for a cluster that sets where Compose publishes ports
// (bindAddress) or Traefik's rate limit would otherwise be accepted and the setting would silently
// do nothing there: each such setting the user chose is named in a warning, with what stands in
// for it on that target. The core's settings are listed here; a module lists its own
// (StackModule.onlyOnCompose), so this file never names a module.
import type { Resolution } from "../config/resolve.js";
import type { Layer } from "../config/merge.js";
import { isEnabled, type StackModule } from "./module.js";
import type { Notice, Target } from "./types.js";

/** A setting the Compose target reads and the Kubernetes target has no use for. */
export interface ComposeOnlySetting {
  path: string;
  /** What does its job on a cluster, as the warning's second half. */
  onKubernetes: string;
  hint: string;
}

export const CORE_COMPOSE_ONLY: readonly ComposeOnlySetting[] = [
  {
    path: "bindAddress",
    onKubernetes: "nothing is published on a node; LibreChat is reached through the Ingress (security) or `kubectl port-forward`",
    hint: "remove bindAddress from a config that targets only kubernetes",
  },
  {
    path: "ollama.publish",
    onKubernetes: "nothing is published on a node; pods reach Ollama by its Service, you by `kubectl port-forward svc/ollama 11434`",
    hint: "remove ollama.publish",
  },
  {
    path: "ollama.port",
    onKubernetes: "the host port Ollama is published on; nothing is published on a node",
    hint: "remove ollama.port",
  },
];

/** Only a layer the user wrote counts: their file or --set. Defaults and presets set what they set
 * for every target alike, and --target is the run's own choice. */
const chosenByUser = (layer: Layer): boolean => layer.source !== "defaults" && layer.source !== "--target" && !layer.source.startsWith("preset ");

const under = (key: string, path: string): boolean => key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`);

/** Warnings for settings the user chose that none of the config's targets (nor this run's) reads. */
export function unreadSettings(resolution: Resolution, modules: readonly StackModule[]): Notice[] {
  const { config, merged, declaredTargets } = resolution;
  const targets = new Set<Target>([...declaredTargets, ...config.targets]);
  const chosen = [...merged.provenance].filter(([, layer]) => chosenByUser(layer)).map(([key]) => key);
  const isChosen = (path: string) => chosen.some((key) => under(key, path));
  const out: Notice[] = [];
  if (!targets.has("compose")) {
    const settings = [...CORE_COMPOSE_ONLY, ...modules.filter((m) => isEnabled(m, config)).flatMap((m) => m.onlyOnCompose ?? [])];
    for (const setting of settings) {
      if (!isChosen(setting.path)) continue;
      out.push({
        path: setting.path,
        message: `read by the compose target only, and the config targets kubernetes alone: ${setting.onKubernetes}`,
        hint: setting.hint,
      });
    }
  }
  if (!targets.has("kubernetes") && isChosen("kubernetes")) {
    out.push({
      path: "kubernetes",
      message: "the kubernetes settings are read by the kubernetes target only, which targets does not list: they change nothing",
      hint: 'add "kubernetes" to targets (or run with --target kubernetes), or remove the kubernetes section',
    });
  }
  return out;
}
