// `llm doctor` for a stack that runs on a cluster: what `kubectl apply -k .` and the pods will need,
// asked of the current kubectl context with read-only `get`s. Docker, and this machine's memory,
// disk, CPU and ports, are not what runs the stack there, so they are not judged.
import type { ResolvedConfig } from "../config/types.js";
import type { HostProbe, RunResult } from "../host/types.js";
import { gpuResource } from "../outputs/kubernetes/objects.js";
import type { Stack } from "../stack/types.js";
import { check, type CheckResult } from "./check-result.js";
import { MIN_KUBECTL, atLeast, parseVersion, versionText } from "./versions.js";

/** One request, not kubectl's default of waiting as long as the server takes. */
const TIMEOUT = "--request-timeout=10s";
/** kubernetes/kubernetes pkg/apis/storage/util/helpers.go: the annotation and its beta form. */
const DEFAULT_STORAGE_CLASS = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];
/** networking.k8s.io/v1 IngressClass (kubernetes-models IngressClass.d.ts). */
const DEFAULT_INGRESS_CLASS = "ingressclass.kubernetes.io/is-default-class";

/** kubectl logs its retries first and says what went wrong last. */
const lastLine = (result: RunResult) => (result.stderr || result.stdout).trim().split("\n").pop() ?? "";

interface Named {
  metadata?: { name?: string; annotations?: Record<string, string> };
}

interface ClusterNode extends Named {
  status?: { allocatable?: Record<string, string> };
}

/** `kubectl get KIND [ARGS] -o json`: its items, or the reason they could not be read. */
async function list<Item extends Named>(host: HostProbe, kind: string, args: readonly string[] = []): Promise<{ items: Item[] } | { failed: string }> {
  const result = await host.run("kubectl", ["get", kind, ...args, "-o", "json", TIMEOUT]);
  if (!result || result.code !== 0) return { failed: result ? lastLine(result) : "kubectl not found" };
  try {
    const parsed = JSON.parse(result.stdout) as { items?: Item[] };
    return { items: parsed.items ?? [] };
  } catch {
    return { failed: `kubectl get ${kind} printed no JSON` };
  }
}

/** kubectl's words for an object or a resource type that does not exist, as against one the
 * user may not read (Forbidden) or a cluster that did not answer. */
const isAbsent = (result: RunResult) => /\bNotFound\b|not found|doesn't have a resource type/.test(result.stderr);

const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const names = (items: readonly Named[]) => items.map((item) => item.metadata?.name ?? "").filter(Boolean);
const isDefault = (item: Named, annotations: readonly string[]) => annotations.some((a) => item.metadata?.annotations?.[a] === "true");

/** kubectl's client, and whether it bundles a kustomize that builds what llm writes. */
async function kubectlCheck(host: HostProbe): Promise<CheckResult> {
  const result = await host.run("kubectl", ["version", "--client", "-o", "json"]);
  if (!result) return check("kubectl", "fail", "kubectl not found: `kubectl apply -k .` needs it", "install kubectl 1.27 or later");
  let version: { clientVersion?: { major?: string; minor?: string; gitVersion?: string }; kustomizeVersion?: string } = {};
  try {
    version = JSON.parse(result.stdout) as typeof version;
  } catch {
    // Judged below as a version that cannot be read.
  }
  // Minor versions of vendor builds carry a suffix ("32+"), which parseVersion ignores.
  const client = version.clientVersion;
  const parsed = client ? parseVersion(`${client.major ?? ""}.${client.minor ?? ""}`) : null;
  const shown = `${client?.gitVersion ?? (parsed ? versionText(parsed) : "")}${version.kustomizeVersion ? ` (kustomize ${version.kustomizeVersion})` : ""}`;
  if (result.code !== 0 || !parsed)
    return check("kubectl", "fail", `kubectl's version could not be read: ${lastLine(result) || "no JSON"}`, "install kubectl 1.27 or later");
  if (!atLeast(parsed, MIN_KUBECTL))
    return check(
      "kubectl",
      "fail",
      `kubectl ${shown} is older than 1.27: its kustomize predates v5, which builds kustomization.yaml here`,
      "install kubectl 1.27 or later",
    );
  return check("kubectl", "ok", `kubectl ${shown} builds kustomization.yaml`);
}

function storageChecks(config: ResolvedConfig, classes: readonly Named[], out: CheckResult[]): void {
  const known = names(classes);
  const listed = known.length > 0 ? known.join(", ") : "none";
  const { class: named, sharedClass } = config.kubernetes.storage;
  if (named) {
    out.push(
      known.includes(named)
        ? check("storage-class", "ok", `StorageClass ${named} (kubernetes.storage.class) exists`)
        : check(
            "storage-class",
            "fail",
            `StorageClass ${named} (kubernetes.storage.class) does not exist: the claims would stay Pending`,
            `set kubernetes.storage.class to one of: ${listed}`,
          ),
    );
  } else {
    const defaults = names(classes.filter((c) => isDefault(c, DEFAULT_STORAGE_CLASS)));
    out.push(
      defaults.length > 0
        ? check("storage-class", "ok", `the default StorageClass ${defaults.join(", ")} provisions the claims`)
        : check(
            "storage-class",
            "fail",
            "no StorageClass is the cluster's default: the claims, which name none, would stay Pending",
            known.length > 0 ? `set kubernetes.storage.class to one of: ${listed}` : "the cluster has no StorageClass: install a storage provisioner",
          ),
    );
  }
  if (sharedClass && !known.includes(sharedClass))
    out.push(
      check(
        "shared-storage-class",
        "fail",
        `StorageClass ${sharedClass} (kubernetes.storage.sharedClass) does not exist: LibreChat's shared claims would stay Pending`,
        `set kubernetes.storage.sharedClass to a ReadWriteMany class; the cluster has: ${listed}`,
      ),
    );
  else if (sharedClass)
    out.push(
      check(
        "shared-storage-class",
        "ok",
        `StorageClass ${sharedClass} (kubernetes.storage.sharedClass) exists; whether it offers ReadWriteMany is its driver's`,
      ),
    );
}

async function ingressChecks(config: ResolvedConfig, host: HostProbe, out: CheckResult[]): Promise<void> {
  const classes = await list(host, "ingressclass");
  if ("failed" in classes) {
    out.push(check("ingress-class", "warn", `IngressClasses could not be listed: ${classes.failed}`));
  } else {
    const named = config.kubernetes.ingress.className;
    const known = names(classes.items);
    const defaults = names(classes.items.filter((c) => isDefault(c, [DEFAULT_INGRESS_CLASS])));
    if (named)
      out.push(
        known.includes(named)
          ? check("ingress-class", "ok", `IngressClass ${named} (kubernetes.ingress.className) exists`)
          : check(
              "ingress-class",
              "fail",
              `IngressClass ${named} (kubernetes.ingress.className) does not exist: no controller would serve the Ingress`,
              `install that ingress controller, or set kubernetes.ingress.className to one of: ${known.join(", ") || "none"}`,
            ),
      );
    else
      out.push(
        defaults.length > 0
          ? check("ingress-class", "ok", `the default IngressClass ${defaults.join(", ")} serves the Ingress`)
          : check(
              "ingress-class",
              "warn",
              `no IngressClass is the cluster's default: the Ingress names none${known.length > 0 ? ` (the cluster has ${known.join(", ")})` : ", and the cluster has no ingress controller"}`,
              "set kubernetes.ingress.className, or install an ingress controller",
            ),
      );
  }
  if (config.security.certificates !== "letsencrypt") return;
  const issuer = config.kubernetes.ingress.clusterIssuer;
  const [kind, name] = issuer ? ["clusterissuer", issuer] : ["crd", "issuers.cert-manager.io"];
  const found = await host.run("kubectl", ["get", kind, name, "-o", "name", TIMEOUT]);
  if (found?.code === 0)
    out.push(check("cert-manager", "ok", issuer ? `ClusterIssuer ${issuer} exists` : "cert-manager is installed (its Issuer resource exists)"));
  else if (found && !isAbsent(found))
    out.push(check("cert-manager", "warn", `${issuer ? `ClusterIssuer ${issuer}` : "cert-manager"} could not be checked: ${lastLine(found)}`));
  else
    out.push(
      check(
        "cert-manager",
        "fail",
        issuer
          ? `ClusterIssuer ${issuer} (kubernetes.ingress.clusterIssuer) does not exist: no certificate would be issued`
          : "cert-manager is not installed (no issuers.cert-manager.io resource): `kubectl apply -k .` refuses the Issuer it writes",
        issuer
          ? "create it, or remove kubernetes.ingress.clusterIssuer to use the Issuer llm writes"
          : 'install cert-manager (https://cert-manager.io/docs/installation/), or set security.certificates to "self-signed"',
      ),
    );
}

async function gpuCheck(config: ResolvedConfig, stack: Stack, host: HostProbe, out: CheckResult[]): Promise<void> {
  const ollama = stack.services.find((service) => service.name === "ollama");
  const wanted = ollama ? gpuResource(ollama) : undefined;
  if (!ollama || !wanted) return;
  const pods = ollama.replicas?.count ?? 1;
  // Only the nodes Ollama's pods may land on.
  const selector = Object.entries(config.kubernetes.gpu.nodeSelector)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  const nodes = await list<ClusterNode>(host, "nodes", selector ? ["-l", selector] : []);
  if ("failed" in nodes) {
    out.push(check("gpu-nodes", "warn", `the nodes could not be listed to find ${wanted.name}: ${nodes.failed}`));
    return;
  }
  const offered = nodes.items.map((node) => Number.parseInt(node.status?.allocatable?.[wanted.name] ?? "0", 10) || 0);
  // Each pod needs its whole count on one node; a node may hold several pods.
  const fits = offered.reduce((sum, gpus) => sum + Math.floor(gpus / wanted.count), 0);
  const where = selector ? ` matching ${selector} (kubernetes.gpu.nodeSelector)` : "";
  if (fits >= pods) {
    out.push(check("gpu-nodes", "ok", `the nodes${where} offer ${wanted.count} ${wanted.name} to each of ${counted(pods, "Ollama pod")}`));
    return;
  }
  const fix =
    wanted.name === "amd.com/gpu"
      ? "install the ROCm device plugin on the GPU nodes"
      : `install the NVIDIA device plugin (or GPU operator) on the GPU nodes, or ${ollama.gpu?.deviceIds ? "list fewer ollama.gpu.deviceIds" : "lower ollama.gpu.count"}${pods > 1 ? " or scaling.ollamaReplicas" : ""}`;
  out.push(
    check(
      "gpu-nodes",
      "fail",
      Math.max(0, ...offered) === 0
        ? `no node${where} offers ${wanted.name}: Ollama's pods would stay Pending`
        : `the nodes${where} fit ${counted(fits, "pod")} with ${wanted.count} ${wanted.name} each, and there are ${counted(pods, "Ollama pod")}: the rest would stay Pending`,
      fix,
    ),
  );
}

/** Every check for a cluster, in the order a user fixes them: the tool, the context, then what the
 * manifests ask of the cluster. */
export async function clusterChecks(config: ResolvedConfig, stack: Stack, host: HostProbe): Promise<CheckResult[]> {
  const out: CheckResult[] = [
    check("host", "skip", "Docker, Compose and this machine's memory, disk, CPU and ports are not checked: the stack runs on the cluster's nodes"),
  ];
  const client = await kubectlCheck(host);
  out.push(client);
  if (client.status === "fail") return out;
  const server = await host.run("kubectl", ["version", "-o", "json", TIMEOUT]);
  let serverVersion: string | undefined;
  try {
    serverVersion = server?.code === 0 ? (JSON.parse(server.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion : undefined;
  } catch {
    serverVersion = undefined;
  }
  if (!serverVersion) {
    out.push(
      check(
        "cluster",
        "fail",
        `the current context's cluster does not answer${server && lastLine(server) ? `: ${lastLine(server)}` : ""}`,
        /Unauthorized|credentials|token|expired/i.test(server?.stderr ?? "")
          ? "log in to the cluster again (it refused the credentials); storage, ingress, cert-manager and GPU nodes are checked once it answers"
          : "choose the cluster with `kubectl config use-context NAME`; storage, ingress, cert-manager and GPU nodes are checked once it answers",
      ),
    );
    return out;
  }
  out.push(check("cluster", "ok", `the current context's cluster answers (Kubernetes ${serverVersion})`));
  const classes = await list(host, "storageclass");
  if ("failed" in classes) out.push(check("storage-class", "warn", `StorageClasses could not be listed: ${classes.failed}`));
  else storageChecks(config, classes.items, out);
  if (stack.modules.security?.ingress) await ingressChecks(config, host, out);
  await gpuCheck(config, stack, host, out);
  return out;
}
