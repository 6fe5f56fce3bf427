// The pieces every Kubernetes manifest is made of, mapped from the target-neutral Service model:
// containers (env, secrets, mounts, probes, resources, GPUs), claims and ConfigMaps. Types come
// from kubernetes-models (type-only imports: nothing of it is bundled), so a misspelt field fails
// `tsc`; tests validate the built objects against its schemas.
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { InternalError } from "../../errors.js";
import { KUBERNETES_CONFIG_DIR, PRIVATE_DIR } from "../../layout.js";
import type { Healthcheck, KubernetesSettings, Mount, PrivateFile, SecretText, Service, Stack } from "../../stack/types.js";

export const NAME_LABEL = "app.kubernetes.io/name";
export const COMPONENT_LABEL = "app.kubernetes.io/component";
/** The Secret kustomize's secretGenerator makes from secrets.env (a hash is appended to its name
 * at apply time, and every reference follows). */
export const GENERATED_SECRET = "llm-secrets";
/** The Secret of the keys a user added to secrets.env (made from secrets/user-secrets.env): what
 * LibreChat's env file carries on Compose besides the generated secrets. */
export const USER_SECRET = "llm-user-secrets";

/** What a manifest is rendered from: each object with the comment above it. */
export interface Manifest {
  summary: string;
  object: object;
}

/** The settings of a stack built for Kubernetes. */
export function settingsOf(stack: Stack): KubernetesSettings {
  if (!stack.kubernetes) throw new InternalError(`a ${stack.target} stack rendered as Kubernetes manifests`);
  return stack.kubernetes;
}

const secretName = (k: KubernetesSettings): string => k.secrets.existingSecret ?? GENERATED_SECRET;

/** "8g" → "8Gi", "512m" → "512Mi", "1.5g" → "1536Mi": Docker's sizes are binary. */
function memoryQuantity(size: string): string {
  const unit = size.slice(-1);
  const amount = Number(size.slice(0, -1));
  const mebibytes = unit === "g" ? amount * 1024 : unit === "m" ? amount : amount / 1024;
  if (unit === "g" && Number.isInteger(amount)) return `${amount}Gi`;
  if (Number.isInteger(mebibytes)) return `${mebibytes}Mi`;
  return `${Math.ceil(mebibytes * 1024)}Ki`;
}

/** 2 → "2", 0.5 → "500m". */
function cpuQuantity(cpus: number): string {
  return Number.isInteger(cpus) ? String(cpus) : `${Math.round(cpus * 1000)}m`;
}

/** "10s" → 10, "2m" → 120. */
function seconds(duration: string): number {
  const match = /^(\d+)(s|m)$/.exec(duration);
  if (!match) throw new InternalError(`healthcheck duration ${duration} is not whole seconds or minutes`);
  return Number(match[1]) * (match[2] === "m" ? 60 : 1);
}

/** The service's ConfigMap volumes, Secret items, claims and scratch folders, by mount. */
type MountPlan =
  | { kind: "config"; mount: Mount; configMap: string; keys: { key: string; path: string; file: string }[]; file: boolean }
  | { kind: "secret-value"; mount: Mount; file: PrivateFile; secret: string }
  | { kind: "secret-lines"; mount: Mount; file: PrivateFile; lines: SecretText[] }
  | { kind: "claim"; mount: Mount; claim: string; sizeKey: string }
  | { kind: "scratch"; mount: Mount };

const isDataFolder = (mount: Mount) => mount.kind === "bind" && mount.source.startsWith("./data/");

/** A ConfigMap's name for a configuration file or folder laid out as for Compose. */
const configMapName = (relative: string): string => `config-${relative.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`;

/** The generated configuration files a bind mount of `relative` (a file or a folder) stands for. */
function configFilesOf(relative: string, files: readonly string[]): { key: string; path: string; file: string }[] {
  const base = `${KUBERNETES_CONFIG_DIR}/${relative}`;
  if (files.includes(base)) return [{ key: relative.split("/").pop()!, path: relative.split("/").pop()!, file: base }];
  return files
    .filter((file) => file.startsWith(`${base}/`))
    .map((file) => {
      const inside = file.slice(base.length + 1);
      return { key: inside.replace(/\//g, "_"), path: inside, file };
    });
}

/** The claim a data mount becomes: a named volume keeps its name; a service's data folder keeps
 * the version its folder is named after (mongodb-8-0), so an image whose data format differs gets
 * a claim of its own: a StatefulSet's claims cannot change, and `kubectl apply` refuses the change
 * instead of starting the new version on the old data (README: Run it on Kubernetes). Sizes are
 * set per service (`kubernetes.storage.sizes.mongodb`) or per named volume. */
function claimOf(service: Service, mount: Mount): { claim: string; sizeKey: string } {
  if (mount.kind === "volume") return { claim: mount.source, sizeKey: mount.source };
  const folder = mount.source.split("/").pop() ?? service.name;
  return { claim: folder.replace(/[^a-z0-9]+/gi, "-").toLowerCase(), sizeKey: service.name };
}

export function mountPlans(service: Service, stack: Stack, files: readonly string[]): MountPlan[] {
  return service.mounts.map((mount): MountPlan => {
    if (mount.scratch) return { kind: "scratch", mount };
    if (mount.kind === "volume" || isDataFolder(mount)) return { kind: "claim", mount, ...claimOf(service, mount) };
    const relative = mount.source.replace(/^\.\//, "");
    if (relative.startsWith(`${PRIVATE_DIR}/`)) {
      const file = stack.privateFiles.find((f) => f.path === relative);
      if (!file) throw new InternalError(`${service.name} mounts ${relative}, which is no private file of the stack`);
      if (file.content.kind === "value") return { kind: "secret-value", mount, file, secret: file.content.secret };
      if (file.content.kind === "lines") return { kind: "secret-lines", mount, file, lines: file.content.lines };
      throw new InternalError(`${service.name} mounts ${relative} (${file.content.kind}), which has no Kubernetes form`);
    }
    const keys = configFilesOf(relative, files);
    if (keys.length === 0 || mount.source.startsWith("/")) throw new InternalError(`${service.name} mounts ${mount.source}, which has no Kubernetes form`);
    return { kind: "config", mount, configMap: configMapName(relative), keys, file: files.includes(`${KUBERNETES_CONFIG_DIR}/${relative}`) };
  });
}

const volumeName = (plan: MountPlan): string => {
  switch (plan.kind) {
    case "config":
      return plan.configMap;
    case "secret-value":
    case "secret-lines":
      return `secret-${plan.file.path.slice(PRIVATE_DIR.length + 1).replace(/[^a-z0-9]+/gi, "-")}`;
    case "claim":
      return plan.claim;
    case "scratch":
      return `scratch-${plan.mount.source.replace(/[^a-z0-9]+/gi, "-")}`;
  }
};

const basename = (path: string) => path.split("/").pop()!;

function volumeMounts(plans: readonly MountPlan[]): IVolumeMount[] {
  return plans.map((plan) => {
    const name = volumeName(plan);
    const mountPath = plan.mount.target;
    const readOnly = plan.mount.readOnly ? { readOnly: true } : {};
    if (plan.kind === "config" && plan.file) return { name, mountPath, subPath: plan.keys[0]!.key, ...readOnly };
    if (plan.kind === "secret-value" || plan.kind === "secret-lines") return { name, mountPath, subPath: basename(plan.file.path), readOnly: true };
    return { name, mountPath, ...readOnly };
  });
}

/** The pod's volumes; claims of a StatefulSet come from its volumeClaimTemplates instead. */
export function podVolumes(plans: readonly MountPlan[], k: KubernetesSettings, claimsInPod: boolean): IVolume[] {
  const out: IVolume[] = [];
  for (const plan of plans) {
    const name = volumeName(plan);
    if (out.some((v) => v.name === name)) continue;
    if (plan.kind === "config") {
      out.push({ name, configMap: { name: plan.configMap, ...(plan.file ? {} : { items: plan.keys.map(({ key, path }) => ({ key, path })) }) } });
    } else if (plan.kind === "secret-value") {
      out.push({ name, secret: { secretName: secretName(k), items: [{ key: plan.secret, path: basename(plan.file.path) }] } });
    } else if (plan.kind === "secret-lines") {
      // Written by an init container from the Secret's values: a file with text around a secret.
      out.push({ name, emptyDir: { medium: "Memory" } });
    } else if (plan.kind === "scratch") {
      out.push({ name, emptyDir: {} });
    } else if (claimsInPod) {
      out.push({ name, persistentVolumeClaim: { claimName: plan.claim } });
    }
  }
  return out;
}

/** `'text'` for sh, with any single quote closed, escaped and reopened. */
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** Files with text around a secret (Redis' requirepass line): an init container writes each into
 * its in-memory volume from the Secret's values, with the mode the file has under Compose. */
export function secretFileInit(service: Service, plans: readonly MountPlan[], k: KubernetesSettings, pullPolicy: string): IContainer[] {
  const files = plans.filter((plan) => plan.kind === "secret-lines");
  if (files.length === 0) return [];
  const secrets = [
    ...new Set(files.flatMap((plan) => plan.lines.flatMap((line) => line.flatMap((part) => (typeof part === "string" ? [] : [part.secret]))))),
  ].sort();
  const script = files
    .map((plan) => {
      const target = `/secret-files/${basename(plan.file.path)}`;
      const lines = plan.lines.map((line) => line.map((part) => (typeof part === "string" ? shellQuote(part) : `"$${part.secret}"`)).join("")).join(" ");
      return `printf '%s\\n' ${lines} > ${target} && chmod ${plan.file.mode.toString(8)} ${target}`;
    })
    .join(" && ");
  return [
    {
      name: "secret-files",
      image: service.image,
      imagePullPolicy: pullPolicy as IContainer["imagePullPolicy"],
      command: ["/bin/sh", "-c", script],
      env: secrets.map((secret) => secretEnv(secret, secret, k)),
      volumeMounts: files.map((plan) => ({ name: volumeName(plan), mountPath: "/secret-files" })),
      resources: { limits: { memory: "32Mi", cpu: "100m" }, requests: { memory: "32Mi", cpu: "10m" } },
    },
  ];
}

function secretEnv(name: string, key: string, k: KubernetesSettings, optional = false): IEnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName(k), key, ...(optional ? { optional: true } : {}) } } };
}

/** Kubernetes expands $(NAME) of variables listed earlier; $$ is a literal $. */
const literal = (text: string) => text.replace(/\$/g, "$$$$");

/** The secrets LibreChat's config refers to as ${NAME} (a custom endpoint's key or URL): what
 * LibreChat's pods read from a Secret of the user's own (existingSecret), where no generated
 * Secret of a user's keys exists. */
function referencedSecrets(stack: Stack): string[] {
  return [...new Set(stack.librechat.references.map((reference) => reference.name))].sort();
}

/** Every variable the container gets, as Compose gives it (.env, then the private env files, then
 * `environment`, later wins): secrets by reference into the Secret, never their values. Secrets
 * come first, so a value built around one (MONGO_URI) can name it as $(MONGO_PASSWORD). */
function containerEnv(service: Service, stack: Stack, k: KubernetesSettings, extra: readonly [string, string][] = []): Pick<IContainer, "env" | "envFrom"> {
  const values = new Map<string, IEnvVar>();
  const envFrom: NonNullable<IContainer["envFrom"]> = [];
  const refs = new Map<string, IEnvVar>();
  const built: IEnvVar[] = [];
  const setValue = (name: string, value: string) => {
    values.set(name, { name, value: literal(value) });
    refs.delete(name);
  };
  for (const file of service.envFiles) {
    if (file === ".env") {
      for (const entry of stack.appEnv) setValue(entry.key, entry.value);
      continue;
    }
    const privateFile = stack.privateFiles.find((f) => f.path === file);
    if (!privateFile || privateFile.content.kind !== "env") throw new InternalError(`${service.name} reads ${file}, which is no env file of the stack`);
    if (privateFile.content.literal) {
      // A user's keys, whatever they are named: a Secret of their own, missing keys no error (as
      // on Compose, where an unset variable is empty). With the user's own Secret, the keys the
      // config names as ${NAME}.
      if (k.secrets.existingSecret) for (const name of referencedSecrets(stack)) refs.set(name, secretEnv(name, name, k, true));
      else envFrom.push({ secretRef: { name: USER_SECRET, optional: true } });
      continue;
    }
    for (const variable of privateFile.content.vars) {
      const [only] = variable.value;
      if (variable.value.length === 1 && only !== undefined && typeof only !== "string") {
        values.delete(variable.name);
        refs.set(variable.name, secretEnv(variable.name, only.secret, k));
        continue;
      }
      for (const part of variable.value) if (typeof part !== "string" && !refs.has(part.secret)) refs.set(part.secret, secretEnv(part.secret, part.secret, k));
      values.delete(variable.name);
      built.push({ name: variable.name, value: variable.value.map((part) => (typeof part === "string" ? literal(part) : `$(${part.secret})`)).join("") });
    }
  }
  for (const [name, value] of [...service.environment, ...extra]) setValue(name, value);
  const byName = (a: IEnvVar, b: IEnvVar) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const env = [...[...refs.values()].sort(byName), ...[...values.values()].sort(byName), ...built.sort(byName)];
  return { ...(envFrom.length > 0 ? { envFrom } : {}), ...(env.length > 0 ? { env } : {}) };
}

/** Compose's check as a startup probe (its start period, then as many tries as Docker allows
 * before calling the container unhealthy) and a readiness probe. No liveness probe: Docker does
 * not restart an unhealthy container either, and a probe that kills a model still loading is the
 * failure LLM charts are known for. */
function probes(check: Healthcheck | undefined, service: Service): Pick<IContainer, "startupProbe" | "readinessProbe"> {
  if (!check) return {};
  const named = (port: number) => service.listens?.find((listen) => listen.port === port)?.name ?? port;
  const handler: IProbe = check.http
    ? { httpGet: { path: check.http.path, port: named(check.http.port) } }
    : { exec: { command: check.test[0] === "CMD-SHELL" ? ["/bin/sh", "-c", check.test[1] ?? ""] : check.test.slice(1) } };
  const interval = seconds(check.interval);
  const startInterval = seconds(check.startInterval);
  const timeoutSeconds = seconds(check.timeout);
  return {
    startupProbe: {
      ...handler,
      periodSeconds: startInterval,
      timeoutSeconds,
      failureThreshold: Math.ceil(seconds(check.startPeriod) / startInterval) + Math.ceil((check.retries * interval) / startInterval),
    },
    readinessProbe: { ...handler, periodSeconds: interval, timeoutSeconds, failureThreshold: check.retries },
  };
}

const AMD_DEVICES = ["/dev/dri", "/dev/kfd"];

/** Memory requested as limited; CPU requested as a share of its limit; GPUs as extended resources
 * (a device plugin hands them out: an NVIDIA count, one AMD GPU for the ROCm devices). */
function resources(service: Service, kubernetes: KubernetesSettings): IResourceRequirements {
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (service.limits.memory) limits["memory"] = requests["memory"] = memoryQuantity(service.limits.memory);
  if (service.limits.cpus !== undefined) {
    limits["cpu"] = cpuQuantity(service.limits.cpus);
    requests["cpu"] = cpuQuantity(Math.max(1, Math.round(service.limits.cpus * 1000 * kubernetes.cpuRequestFraction)) / 1000);
  }
  const gpu = gpuResource(service);
  if (gpu) limits[gpu.name] = String(gpu.count);
  return { limits, requests };
}

export function gpuResource(service: Service): { name: string; count: number } | undefined {
  if (service.gpu) {
    const count = service.gpu.deviceIds ? service.gpu.deviceIds.length : service.gpu.count;
    if (typeof count !== "number") throw new InternalError(`${service.name} asks for every GPU, which its config rules refuse on Kubernetes`);
    return { name: "nvidia.com/gpu", count };
  }
  const devices = [...service.devices].sort();
  if (devices.length === 0) return undefined;
  if (devices.join() === AMD_DEVICES.join()) return { name: "amd.com/gpu", count: 1 };
  throw new InternalError(`${service.name} uses devices ${devices.join(", ")}, which have no Kubernetes form`);
}

/** GPU pods: tolerate the vendor's taint, and go where the config says GPU nodes are. */
export function gpuScheduling(service: Service, kubernetes: KubernetesSettings): Partial<IPodSpec> {
  const gpu = gpuResource(service);
  if (!gpu) return {};
  const tolerations: IToleration[] = [{ key: gpu.name, operator: "Exists", effect: "NoSchedule" }];
  return {
    ...(kubernetes.gpu.runtimeClassName ? { runtimeClassName: kubernetes.gpu.runtimeClassName } : {}),
    ...(Object.keys(kubernetes.gpu.nodeSelector).length > 0 ? { nodeSelector: { ...kubernetes.gpu.nodeSelector } } : {}),
    tolerations,
  };
}

export function container(
  service: Service,
  stack: Stack,
  k: KubernetesSettings,
  plans: readonly MountPlan[],
  extraEnv: readonly [string, string][] = [],
): IContainer {
  const variables = containerEnv(service, stack, k, extraEnv);
  const mounts = volumeMounts(plans);
  return {
    name: service.name,
    image: service.image,
    imagePullPolicy: k.imagePullPolicy,
    ...(service.entrypoint ? { command: [...service.entrypoint] } : {}),
    ...(service.command ? { args: [...service.command] } : {}),
    ...(service.listens && service.listens.length > 0 ? { ports: service.listens.map((listen) => ({ name: listen.name, containerPort: listen.port })) } : {}),
    ...variables,
    resources: resources(service, k),
    ...probes(service.healthcheck, service),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
}
