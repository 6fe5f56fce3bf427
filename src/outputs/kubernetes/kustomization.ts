// kustomization.yaml at the output folder's root: kustomize reads no file above its own folder,
// and its secretGenerator reads secrets.env (gitignored) at apply time, so `kubectl apply -k .`
// needs kubectl alone and no committed file holds a secret. ConfigMaps are made of the files under
// kubernetes/config/, each named with a hash of its content, so a changed file rolls its pods.
import { KUBERNETES_CONFIG_DIR, KUBERNETES_DIR, KUSTOMIZATION_FILE, SECRETS_FILE } from "../../layout.js";
import type { Stack } from "../../stack/types.js";
import { header, type OutputDefinition } from "../types.js";
import { USER_SECRETS_FILE } from "../../stack/secret-files.js";
import { GENERATED_SECRET, USER_SECRET, mountPlans, settingsOf } from "./objects.js";

interface ConfigMapSpec {
  name: string;
  /** `key=path` entries, as configMapGenerator's `files` takes them. */
  files: string[];
}

function configMaps(stack: Stack, files: readonly string[]): ConfigMapSpec[] {
  const byName = new Map<string, ConfigMapSpec>();
  for (const service of stack.services) {
    for (const plan of mountPlans(service, stack, files)) {
      if (plan.kind !== "config" || byName.has(plan.configMap)) continue;
      byName.set(plan.configMap, { name: plan.configMap, files: plan.keys.map(({ key, file }) => `${key}=${file}`) });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The manifests under kubernetes/ (not their configuration files), namespace first. */
function resources(files: readonly string[]): string[] {
  const manifests = files.filter((file) => file.startsWith(`${KUBERNETES_DIR}/`) && !file.startsWith(`${KUBERNETES_CONFIG_DIR}/`) && file.endsWith(".yaml"));
  const namespace = `${KUBERNETES_DIR}/namespace.yaml`;
  return [...manifests.filter((file) => file === namespace), ...manifests.filter((file) => file !== namespace).sort()];
}

export const kustomization: OutputDefinition = {
  path: KUSTOMIZATION_FILE,
  template: "kustomization.yaml",
  syntax: "yaml",
  targets: ["kubernetes"],
  applies: () => true,
  view: ({ stack, configFile, files }) => {
    const k = settingsOf(stack);
    const existing = k.secrets.existingSecret;
    return {
      header: header(configFile),
      secretsFile: SECRETS_FILE,
      existingSecret: existing ?? null,
      body: {
        apiVersion: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        namespace: k.namespace,
        labels: [
          {
            pairs: { "app.kubernetes.io/part-of": stack.name, "app.kubernetes.io/managed-by": "local-llm-stack" },
            includeSelectors: false,
            includeTemplates: true,
          },
        ],
        resources: resources(files),
        configMapGenerator: configMaps(stack, files),
        ...(existing
          ? {}
          : {
              secretGenerator: [
                { name: GENERATED_SECRET, envs: [SECRETS_FILE] },
                ...(stack.privateFiles.some((file) => file.path === USER_SECRETS_FILE) ? [{ name: USER_SECRET, envs: [USER_SECRETS_FILE] }] : []),
              ],
            }),
      },
    };
  },
};
