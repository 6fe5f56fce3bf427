// One manifest per service, kubernetes/<service>.yaml: its workload, its Service (and a headless
// one where pods need names of their own) and its claims. A service with data of its own runs as
// a StatefulSet (a claim per pod); one whose replicas share their files (LibreChat) as a
// Deployment with claims beside it; a one-shot as a Job named after what it does.
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { IService } from "kubernetes-models/v1/Service";
import { InternalError } from "../../errors.js";
import { KUBERNETES_DIR } from "../../layout.js";
import { headlessName } from "../../stack/helpers.js";
import type { KubernetesSettings, Service, Stack } from "../../stack/types.js";
import { sha256Hex } from "../../util/sha256.js";
import { header, type OutputSet } from "../types.js";
import { COMPONENT_LABEL, NAME_LABEL, container, gpuScheduling, mountPlans, podVolumes, secretFileInit, settingsOf, type Manifest } from "./objects.js";

/** The manifest's path for a service. */
const workloadFile = (service: string): string => `${KUBERNETES_DIR}/${service}.yaml`;

type Plans = ReturnType<typeof mountPlans>;

function claimSpec(k: KubernetesSettings, sizeKey: string, shared: boolean): IPersistentVolumeClaim["spec"] {
  const size = k.storage.sizes[sizeKey];
  if (!size) throw new InternalError(`the claim ${sizeKey} has no size in presets/defaults.json (kubernetes.storage.sizes)`);
  const storageClassName = shared ? k.storage.sharedClass : k.storage.class;
  return {
    accessModes: [shared ? "ReadWriteMany" : "ReadWriteOnce"],
    ...(storageClassName ? { storageClassName } : {}),
    resources: { requests: { storage: size } },
  };
}

const claimsOf = (plans: Plans): { claim: string; sizeKey: string }[] => {
  const seen = new Map<string, string>();
  for (const plan of plans) if (plan.kind === "claim") seen.set(plan.claim, plan.sizeKey);
  return [...seen].map(([claim, sizeKey]) => ({ claim, sizeKey }));
};

function podTemplate(
  service: Service,
  stack: Stack,
  k: KubernetesSettings,
  plans: Plans,
  labels: Record<string, string>,
  options: { claimsInPod: boolean; restartPolicy?: "Never"; extraEnv?: readonly [string, string][]; annotations?: Record<string, string> },
): IPodTemplateSpec {
  const init = secretFileInit(service, plans, k, k.imagePullPolicy);
  const volumes = podVolumes(plans, k, options.claimsInPod);
  return {
    metadata: { labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      ...(options.restartPolicy ? { restartPolicy: options.restartPolicy } : {}),
      // Service links would put every Service's address in every container's environment.
      enableServiceLinks: false,
      ...(service.fsGroup !== undefined ? { securityContext: { fsGroup: service.fsGroup, fsGroupChangePolicy: "OnRootMismatch" } } : {}),
      ...gpuScheduling(service, k),
      ...(init.length > 0 ? { initContainers: init } : {}),
      containers: [container(service, stack, k, plans, options.extraEnv)],
      ...(volumes.length > 0 ? { volumes } : {}),
    },
  };
}

function clusterService(service: Service): IService | undefined {
  if (!service.listens || service.listens.length === 0) return undefined;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: service.name, labels: { [NAME_LABEL]: service.name } },
    spec: {
      selector: { [NAME_LABEL]: service.name },
      ports: service.listens.map((listen) => ({ name: listen.name, port: listen.port, targetPort: listen.name })),
    },
  };
}

/** Each pod's own DNS name: a StatefulSet's pods by index (reached while starting, so the pull Job
 * finds them), pods Prometheus discovers once they are ready. */
function headlessService(service: Service, publishNotReady: boolean): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: headlessName(service.name), labels: { [NAME_LABEL]: service.name } },
    spec: {
      clusterIP: "None",
      ...(publishNotReady ? { publishNotReadyAddresses: true } : {}),
      selector: { [NAME_LABEL]: service.name },
      ports: (service.listens ?? []).map((listen) => ({ name: listen.name, port: listen.port, targetPort: listen.name })),
    },
  };
}

function statefulSet(service: Service, stack: Stack, k: KubernetesSettings, plans: Plans): Manifest[] {
  if (service.replicas?.othersEnvironment?.length) throw new InternalError(`${service.name}: pods of a StatefulSet cannot differ`);
  const labels = { [NAME_LABEL]: service.name };
  const workload: IStatefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: service.name, labels },
    spec: {
      serviceName: headlessName(service.name),
      replicas: service.replicas?.count ?? 1,
      podManagementPolicy: "Parallel",
      selector: { matchLabels: labels },
      template: podTemplate(service, stack, k, plans, labels, { claimsInPod: false }),
      volumeClaimTemplates: claimsOf(plans).map(({ claim, sizeKey }) => ({ metadata: { name: claim }, spec: claimSpec(k, sizeKey, false) })),
    },
  };
  const count = service.replicas?.count ?? 1;
  return [
    { summary: `${service.summary}${count > 1 ? ` (${count} pods, a volume each)` : ""}`, object: workload },
    ...optional(clusterService(service), `The name the stack reaches ${service.name} by (${service.name}:${service.listens?.[0]?.port})`),
    { summary: `One DNS name per ${service.name} pod (${service.name}-0.${headlessName(service.name)})`, object: headlessService(service, true) },
  ];
}

/** Pods that share their files: claims of their own, ReadWriteMany when more than one pod mounts
 * them; a single pod is replaced, not rolled, so two never hold a ReadWriteOnce claim at once. */
function deployments(service: Service, stack: Stack, k: KubernetesSettings, plans: Plans): Manifest[] {
  const count = service.replicas?.count ?? 1;
  // A claim's access mode cannot change once made: with a ReadWriteMany class named, the claims are
  // shared from the start, so scaling out later changes no claim.
  const shared = count > 1 || (service.sharedVolumes === true && k.storage.sharedClass !== undefined);
  const others = service.replicas?.othersEnvironment ?? [];
  const split = count > 1 && others.length > 0;
  // A Deployment's selector cannot change: the first one is always the "primary", so scaling out
  // adds the replicas' Deployment beside it instead of changing it.
  const deployment = (name: string, component: string, replicas: number, extraEnv: readonly [string, string][]): IDeployment => {
    const labels = { [NAME_LABEL]: service.name, [COMPONENT_LABEL]: component };
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, labels },
      spec: {
        replicas,
        ...(shared || claimsOf(plans).length === 0 ? {} : { strategy: { type: "Recreate" } }),
        selector: { matchLabels: labels },
        template: podTemplate(service, stack, k, plans, labels, { claimsInPod: true, extraEnv }),
      },
    };
  };
  const workloads: Manifest[] = split
    ? [
        { summary: `${service.summary}: the first pod`, object: deployment(service.name, "primary", 1, []) },
        {
          summary: `${service.name}: the other ${count - 1} pod${count - 1 === 1 ? "" : "s"} (${others.map(([name, value]) => `${name}=${value}`).join(", ")})`,
          object: deployment(`${service.name}-replica`, "replica", count - 1, others),
        },
      ]
    : [{ summary: service.summary, object: deployment(service.name, "primary", count, []) }];
  const claims = claimsOf(plans).map(({ claim, sizeKey }): Manifest => ({
    summary: `${claim}: ${shared ? `shared by the ${service.name} pods (ReadWriteMany)` : `${service.name}'s files`}`,
    object: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: claim, labels: { [NAME_LABEL]: service.name } },
      spec: claimSpec(k, sizeKey, shared),
    } satisfies IPersistentVolumeClaim,
  }));
  return [
    ...workloads,
    ...optional(
      clusterService(service),
      `The name the stack reaches ${service.name} by (${service.name}:${service.listens?.[0]?.port}), balanced over its pods`,
    ),
    ...(service.podsDiscovered ? [{ summary: `One DNS name per ready ${service.name} pod, for Prometheus`, object: headlessService(service, false) }] : []),
    ...claims,
  ];
}

/** A Job's template cannot change: its name carries a hash of what it runs, so new models make a
 * new Job (and a finished one is deleted after an hour). */
function job(service: Service, stack: Stack, k: KubernetesSettings, plans: Plans): Manifest[] {
  const labels = { [NAME_LABEL]: service.name };
  const template = podTemplate(service, stack, k, plans, labels, { claimsInPod: true, restartPolicy: "Never" });
  // The whole template, and the stack's name kustomize adds to its labels: any change is a new Job.
  const hash = sha256Hex(JSON.stringify([stack.name, template])).slice(0, 8);
  const object: IJob = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: `${service.name}-${hash}`, labels },
    spec: { backoffLimit: 4, ttlSecondsAfterFinished: 3600, template },
  };
  return [{ summary: service.summary, object }];
}

const optional = (object: IService | undefined, summary: string): Manifest[] => (object ? [{ summary, object }] : []);

function manifestsOf(service: Service, stack: Stack, files: readonly string[]): Manifest[] {
  const k = settingsOf(stack);
  const plans = mountPlans(service, stack, files);
  if (service.restart === "no") return job(service, stack, k, plans);
  if (!service.sharedVolumes && claimsOf(plans).length > 0) return statefulSet(service, stack, k, plans);
  return deployments(service, stack, k, plans);
}

export const workloads: OutputSet = {
  target: "kubernetes",
  template: "kubernetes.yaml",
  syntax: "yaml-documents",
  files: ({ stack, configFile, files }) =>
    stack.services.map((service) => ({
      path: workloadFile(service.name),
      view: { header: header(configFile), manifests: manifestsOf(service, stack, files) },
    })),
};
