// kubernetes/network-policies.yaml: what Compose's network gives for free, stated. Nothing may
// connect to a pod of the stack (default deny), except each backend from the services that use it:
// those that depend on it, and those it names as clients (Prometheus scraping LibreChat). Egress
// stays open: model pulls and outside endpoints need it. Needs a CNI that enforces NetworkPolicy.
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { KUBERNETES_DIR } from "../../layout.js";
import type { Service, Stack } from "../../stack/types.js";
import { header, type OutputDefinition } from "../types.js";
import { NAME_LABEL, settingsOf, type Manifest } from "./objects.js";

/** The services that connect to `service`: its dependents and its declared clients. */
function sourcesOf(service: Service, stack: Stack): string[] {
  const dependents = stack.services.filter((other) => other.dependsOn.some((d) => d.service === service.name)).map((other) => other.name);
  return [...new Set([...dependents, ...(service.clients ?? [])])].sort();
}

function policies(stack: Stack): Manifest[] {
  const deny: INetworkPolicy = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny-ingress" },
    spec: { podSelector: {}, policyTypes: ["Ingress"] },
  };
  const allows = stack.services.flatMap((service): Manifest[] => {
    const sources = sourcesOf(service, stack);
    if (!service.listens || service.listens.length === 0 || sources.length === 0) return [];
    const object: INetworkPolicy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `allow-${service.name}`, labels: { [NAME_LABEL]: service.name } },
      spec: {
        podSelector: { matchLabels: { [NAME_LABEL]: service.name } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: sources.map((source) => ({ podSelector: { matchLabels: { [NAME_LABEL]: source } } })),
            ports: service.listens.map((listen) => ({ protocol: "TCP", port: listen.port })),
          },
        ],
      },
    };
    return [{ summary: `${service.name} accepts ${sources.join(", ")}`, object }];
  });
  return [{ summary: "No pod of the stack accepts connections unless a policy below allows them", object: deny }, ...allows];
}

export const networkPolicies: OutputDefinition = {
  path: `${KUBERNETES_DIR}/network-policies.yaml`,
  template: "kubernetes.yaml",
  syntax: "yaml-documents",
  targets: ["kubernetes"],
  applies: (stack) => settingsOf(stack).networkPolicies,
  view: ({ stack, configFile }) => ({ header: header(configFile), manifests: policies(stack) }),
};
