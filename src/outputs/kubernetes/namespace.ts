// kubernetes/namespace.yaml: the namespace every object goes to (kustomization `namespace:`),
// unless a platform team creates it (kubernetes.createNamespace: false).
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { KUBERNETES_DIR } from "../../layout.js";
import { header, type OutputDefinition } from "../types.js";
import { settingsOf } from "./objects.js";

export const namespace: OutputDefinition = {
  path: `${KUBERNETES_DIR}/namespace.yaml`,
  template: "kubernetes.yaml",
  syntax: "yaml-documents",
  targets: ["kubernetes"],
  applies: (stack) => settingsOf(stack).createNamespace,
  view: ({ stack, configFile }) => {
    const object: INamespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: settingsOf(stack).namespace } };
    return { header: header(configFile), manifests: [{ summary: `The stack's namespace`, object }] };
  },
};
