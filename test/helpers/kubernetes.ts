// Checks for the Kubernetes target, by tools others wrote: `kubectl kustomize` builds the folder
// (kubectl ships kustomize), kubernetes-models validates every object against the API's schemas,
// and the references no schema sees are checked here: every Service selects pods and names their
// ports, every ConfigMap, Secret key, claim and volume a pod names exists, StatefulSets have their
// headless Service, every namespaced object has the namespace, names are DNS-1123.
import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** `kubectl kustomize DIR`: the objects `kubectl apply -k` would send. Fails loudly without kubectl. */
export function kustomize(dir: string): string {
  const result = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8" });
  if (result.error) {
    throw new Error(
      `kubectl (with kustomize) is needed for the Kubernetes tests and was not found: ${result.error.message}. Install kubectl 1.27+ (README: Tests)`,
    );
  }
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

export function objectsOf(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

const MODULE_BY_GROUP: Record<string, string> = {
  v1: "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "cert-manager.io/v1": "@kubernetes-models/cert-manager/cert-manager.io/v1",
};

const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "ClusterIssuer"]);

interface Pod {
  owner: string;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
  claimTemplates: string[];
}

function podsOf(objects: readonly K8sObject[]): Pod[] {
  return objects.flatMap((o): Pod[] => {
    const spec = o["spec"] as Record<string, unknown> | undefined;
    const template = spec?.["template"] as { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } | undefined;
    if (!template?.spec || !["Deployment", "StatefulSet", "Job", "DaemonSet"].includes(o.kind)) return [];
    const claimTemplates = ((spec?.["volumeClaimTemplates"] as { metadata: { name: string } }[] | undefined) ?? []).map((c) => c.metadata.name);
    return [{ owner: `${o.kind}/${o.metadata.name}`, labels: template.metadata?.labels ?? {}, spec: template.spec, claimTemplates }];
  });
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);

type Container = {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: Record<string, unknown>[];
  envFrom?: Record<string, unknown>[];
  volumeMounts?: { name: string }[];
  [probe: string]: unknown;
};

/** Every problem found in a `kubectl kustomize` stream (empty when there is none). */
export async function validateK8s(text: string): Promise<string[]> {
  const objects = objectsOf(text);
  if (objects.length === 0) return ["no objects: empty or unreadable input"];
  const problems: string[] = [];
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata?.name}`;
    const group = MODULE_BY_GROUP[object.apiVersion];
    if (!group) {
      problems.push(`${id}: no schema for apiVersion ${object.apiVersion}`);
      continue;
    }
    const module = (await import(`${group}/${object.kind}`)) as Record<string, new (data: unknown) => { validate(): void }>;
    const Model = module[object.kind];
    if (!Model) {
      problems.push(`${id}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    // kustomize wraps a Secret's base64 at 70 columns; the API server's decoder skips the breaks.
    const data =
      object.kind === "Secret" && object["data"]
        ? { ...object, data: Object.fromEntries(Object.entries(object["data"] as Record<string, string>).map(([k, v]) => [k, v.replace(/\s+/g, "")])) }
        : object;
    try {
      new Model(data).validate();
    } catch (error) {
      problems.push(`${id}: ${(error as Error).message}`);
    }
    if (!DNS_1123.test(object.metadata.name) || object.metadata.name.length > 63) problems.push(`${id}: name is not DNS-1123`);
    if (!CLUSTER_SCOPED.has(object.kind) && !object.metadata.namespace) problems.push(`${id}: no namespace`);
  }
  const namespaces = new Set(objects.filter((o) => !CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace).map((o) => o.metadata.namespace));
  if (namespaces.size > 1) problems.push(`the objects are spread over namespaces ${[...namespaces].sort().join(", ")}: one stack is one namespace`);
  problems.push(...references(objects));
  return problems;
}

function references(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const named = (kind: string) => new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
  const configMaps = named("ConfigMap");
  const secrets = named("Secret");
  const claims = named("PersistentVolumeClaim");
  const services = named("Service");
  const pods = podsOf(objects);

  for (const pod of pods) {
    const volumes = (pod.spec["volumes"] as Record<string, unknown>[] | undefined) ?? [];
    const volumeNames = new Set([...volumes.map((v) => v["name"] as string), ...pod.claimTemplates]);
    for (const volume of volumes) {
      const cm = volume["configMap"] as { name: string; items?: { key: string }[] } | undefined;
      if (cm) {
        const found = configMaps.get(cm.name);
        if (!found) problems.push(`${pod.owner}: volume ${volume["name"]} names a missing ConfigMap ${cm.name}`);
        for (const item of cm.items ?? [])
          if (found && !Object.hasOwn((found["data"] as object) ?? {}, item.key)) problems.push(`${pod.owner}: ConfigMap ${cm.name} has no key ${item.key}`);
      }
      const secret = volume["secret"] as { secretName: string; items?: { key: string }[] } | undefined;
      if (secret) {
        const found = secrets.get(secret.secretName);
        if (!found) problems.push(`${pod.owner}: volume ${volume["name"]} names a missing Secret ${secret.secretName}`);
        for (const item of secret.items ?? [])
          if (found && !Object.hasOwn((found["data"] as object) ?? {}, item.key))
            problems.push(`${pod.owner}: Secret ${secret.secretName} has no key ${item.key}`);
      }
      const pvc = volume["persistentVolumeClaim"] as { claimName: string } | undefined;
      if (pvc && !claims.has(pvc.claimName)) problems.push(`${pod.owner}: volume ${volume["name"]} names a missing PVC ${pvc.claimName}`);
    }
    const containers = [...((pod.spec["initContainers"] as Container[] | undefined) ?? []), ...((pod.spec["containers"] as Container[] | undefined) ?? [])];
    for (const c of containers) {
      const where = `${pod.owner}/${c.name}`;
      for (const mount of c.volumeMounts ?? []) if (!volumeNames.has(mount.name)) problems.push(`${where}: mounts a missing volume ${mount.name}`);
      for (const env of c.env ?? []) {
        const ref = (env["valueFrom"] as { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } | undefined) ?? {};
        if (ref.secretKeyRef) {
          const found = secrets.get(ref.secretKeyRef.name);
          const optional = (ref.secretKeyRef as { optional?: boolean }).optional === true;
          if (!found && !optional) problems.push(`${where}: env ${env["name"]} names a missing Secret ${ref.secretKeyRef.name}`);
          else if (found && !optional && !Object.hasOwn((found["data"] as object) ?? {}, ref.secretKeyRef.key))
            problems.push(`${where}: Secret ${ref.secretKeyRef.name} has no key ${ref.secretKeyRef.key}`);
        }
        if (ref.configMapKeyRef && !configMaps.has(ref.configMapKeyRef.name))
          problems.push(`${where}: env ${env["name"]} names a missing ConfigMap ${ref.configMapKeyRef.name}`);
      }
      // $(NAME) in a value names a variable listed before it in the same container, or stays as it is.
      const listed = new Set<string>();
      for (const env of c.env ?? []) {
        const value = typeof env["value"] === "string" ? (env["value"] as string).replace(/\$\$/g, "") : "";
        for (const match of value.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g))
          if (!listed.has(match[1]!)) problems.push(`${where}: env ${env["name"]} refers to $(${match[1]}), not listed before it`);
        listed.add(env["name"] as string);
      }
      for (const from of c.envFrom ?? []) {
        const secretRef = from["secretRef"] as { name: string; optional?: boolean } | undefined;
        const cmRef = from["configMapRef"] as { name: string } | undefined;
        if (secretRef && !secretRef.optional && !secrets.has(secretRef.name)) problems.push(`${where}: envFrom missing Secret ${secretRef.name}`);
        if (cmRef && !configMaps.has(cmRef.name)) problems.push(`${where}: envFrom missing ConfigMap ${cmRef.name}`);
      }
      const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const port = (c[probe] as { httpGet?: { port: number | string } } | undefined)?.httpGet?.port;
        if (typeof port === "string" && !portNames.has(port)) problems.push(`${where}: ${probe} uses unknown port name ${port}`);
      }
    }
  }

  for (const service of services.values()) {
    const spec = service["spec"] as { selector?: Record<string, string>; ports?: { targetPort?: number | string }[] };
    if (!spec.selector || Object.keys(spec.selector).length === 0) {
      problems.push(`Service/${service.metadata.name}: no selector: it would select every pod or none`);
      continue;
    }
    const selected = pods.filter((pod) => spec.selector && matches(spec.selector, pod.labels));
    if (selected.length === 0) {
      problems.push(`Service/${service.metadata.name}: its selector matches no pod`);
      continue;
    }
    for (const port of spec.ports ?? []) {
      if (typeof port.targetPort !== "string") continue;
      const served = selected.some((pod) =>
        ((pod.spec["containers"] as Container[]) ?? []).some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)),
      );
      if (!served) problems.push(`Service/${service.metadata.name}: targetPort ${port.targetPort} is no port of the pods it selects`);
    }
  }
  for (const set of objects.filter((o) => o.kind === "StatefulSet")) {
    const serviceName = (set["spec"] as { serviceName?: string }).serviceName;
    if (!serviceName || !services.has(serviceName)) problems.push(`StatefulSet/${set.metadata.name}: serviceName ${serviceName} names no Service`);
  }
  for (const ingress of objects.filter((o) => o.kind === "Ingress")) {
    const rules = ((ingress["spec"] as { rules?: unknown[] }).rules ?? []) as {
      http: { paths: { backend: { service: { name: string; port: { number?: number } } } }[] };
    }[];
    for (const path of rules.flatMap((rule) => rule.http.paths)) {
      const target = services.get(path.backend.service.name);
      if (!target) problems.push(`Ingress/${ingress.metadata.name}: backend names a missing Service ${path.backend.service.name}`);
      else if (!((target["spec"] as { ports: { port: number }[] }).ports ?? []).some((p) => p.port === path.backend.service.port.number))
        problems.push(`Ingress/${ingress.metadata.name}: Service ${path.backend.service.name} has no port ${path.backend.service.port.number}`);
    }
    const issuer = ingress.metadata.annotations?.["cert-manager.io/issuer"];
    if (issuer && !objects.some((o) => o.kind === "Issuer" && o.metadata.name === issuer))
      problems.push(`Ingress/${ingress.metadata.name}: names a missing Issuer ${issuer}`);
  }
  for (const policy of objects.filter((o) => o.kind === "NetworkPolicy")) {
    const spec = policy["spec"] as {
      podSelector: { matchLabels?: Record<string, string> };
      ingress?: { from?: { podSelector?: { matchLabels?: Record<string, string> } }[] }[];
    };
    const own = spec.podSelector.matchLabels;
    // cert-manager's solver pods are not the stack's: they come and go while a certificate is issued.
    if (own && !own["acme.cert-manager.io/http01-solver"] && !pods.some((pod) => matches(own, pod.labels)))
      problems.push(`NetworkPolicy/${policy.metadata.name}: selects no pod`);
    for (const source of (spec.ingress ?? []).flatMap((rule) => rule.from ?? [])) {
      const labels = source.podSelector?.matchLabels;
      if (labels && !pods.some((pod) => matches(labels, pod.labels))) problems.push(`NetworkPolicy/${policy.metadata.name}: a source selects no pod`);
    }
    // A port it opens is one the pods it selects listen on.
    if (own && !own["acme.cert-manager.io/http01-solver"]) {
      const served = new Set(
        pods
          .filter((pod) => matches(own, pod.labels))
          .flatMap((pod) => ((pod.spec["containers"] as Container[]) ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort))),
      );
      const opened = ((spec.ingress ?? []) as { ports?: { port?: number | string }[] }[]).flatMap((rule) => rule.ports ?? []).map((p) => p.port);
      for (const port of opened)
        if (typeof port === "number" && !served.has(port))
          problems.push(`NetworkPolicy/${policy.metadata.name}: opens port ${port}, on which no selected pod listens`);
    }
  }
  return problems;
}
