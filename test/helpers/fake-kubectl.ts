// A fake kubectl for the doctor's cluster checks: answers recorded from kubectl v1.32.4 (its JSON
// shapes and its error lines; docs/upstream-facts.md, "Kubernetes target"), keyed as fakeHost
// expects ("program arg arg").
import type { RunResult } from "../../src/host/types.js";

export const T = "--request-timeout=10s";
export const client = (minor: string) =>
  JSON.stringify({
    clientVersion: { major: "1", minor, gitVersion: `v1.${minor.replace("+", "")}.4` },
    kustomizeVersion: Number.parseInt(minor, 10) >= 27 ? "v5.5.0" : "v4.5.7",
  });
export const refused: RunResult = {
  code: 1,
  stdout: client("32+"),
  stderr: "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n",
};
export const items = (list: unknown[]) => JSON.stringify({ apiVersion: "v1", kind: "List", items: list });
export const storageClass = (name: string, isDefault = false) => ({
  metadata: { name, ...(isDefault ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}) },
});
export const ingressClass = (name: string, isDefault = false) => ({
  metadata: { name, ...(isDefault ? { annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } } : {}) },
});
export const node = (gpus: number, resource = "nvidia.com/gpu") => ({
  metadata: { name: `node-${gpus}` },
  status: { allocatable: { cpu: "8", ...(gpus > 0 ? { [resource]: String(gpus) } : {}) } },
});

/** A cluster with what the doctor tests' configs ask for: default StorageClass and IngressClass,
 * cert-manager, one node with one NVIDIA GPU. */
export const healthyCluster = (): Record<string, RunResult | string> => ({
  "kubectl version --client -o json": client("32+"),
  [`kubectl version -o json ${T}`]: JSON.stringify({ ...JSON.parse(client("32+")), serverVersion: { major: "1", minor: "31", gitVersion: "v1.31.2" } }),
  [`kubectl get storageclass -o json ${T}`]: items([storageClass("standard", true), storageClass("nfs")]),
  [`kubectl get ingressclass -o json ${T}`]: items([ingressClass("nginx", true)]),
  [`kubectl get crd issuers.cert-manager.io -o name ${T}`]: "customresourcedefinition.apiextensions.k8s.io/issuers.cert-manager.io\n",
  [`kubectl get nodes -o json ${T}`]: items([node(0), node(1)]),
});
