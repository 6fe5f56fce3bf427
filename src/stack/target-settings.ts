// Settings only one target reads. A config for a cluster that sets Traefik's rate limit or nginx's
// upload limit would otherwise be accepted and the setting would silently do nothing there: each
// such setting the user chose is named in a warning, with what stands in for it on that target.
// A module lists its own (StackModule.onlyOnCompose), so this file never names a module. The
// core's host settings (bindAddress, ollama.publish, ollama.port) are not among them: doctor and
// `llm models` read them for whichever stack comes first, a cluster's included.
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
    for (const setting of modules.filter((m) => isEnabled(m, config)).flatMap((m) => m.onlyOnCompose ?? [])) {
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
