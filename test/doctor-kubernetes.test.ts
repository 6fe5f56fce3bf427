// `llm doctor` for a stack that runs on a cluster (src/doctor/cluster-checks.ts): kubectl and the
// current context's cluster are asked, read-only, for what the manifests need; Docker and this
// machine are not judged. The cluster is a fake kubectl whose answers are recorded here.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RunResult } from "../src/host/types.js";
import { fakeHost } from "./helpers/host.js";
import { T, client, healthyCluster as healthy, ingressClass, items, node, refused, storageClass } from "./helpers/fake-kubectl.js";
import { removeDir, runCli, tempDir } from "./helpers/workspace.js";

const test = suite("llm doctor on Kubernetes: kubectl, the cluster, storage, ingress, cert-manager, GPU nodes; llm models points at a port-forward");

const clusterConfig = {
  models: ["llama3.2:3b"],
  targets: ["kubernetes"],
  presets: ["nvidia"],
  ollama: { gpu: { count: 1 } },
  security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" },
  scaling: { enabled: true, librechatReplicas: 2 },
  kubernetes: { storage: { sharedClass: "nfs" } },
};

interface Report {
  ok: boolean;
  checks: { id: string; status: string; message: string; fix?: string }[];
}

async function doctor(config: Record<string, unknown>, commands: Record<string, RunResult | string>, args: string[] = []) {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify(config));
    const host = fakeHost({ commands });
    const run = await runCli(["doctor", "--json", ...args], dir, { io: { host } });
    return { code: run.code, report: JSON.parse(run.stdout) as Report, calls: host.calls.map((c) => c.command) };
  } finally {
    removeDir(dir);
  }
}

const statuses = (report: Report) => report.checks.map((c) => `${c.id}:${c.status}`);

test("a cluster with what the manifests need: every check passes, exit 0, and only read-only kubectl calls were made", async () => {
  const { code, report, calls } = await doctor(clusterConfig, healthy());
  assert.equal(statuses(report), [
    "host:skip",
    "kubectl:ok",
    "cluster:ok",
    "storage-class:ok",
    "shared-storage-class:ok",
    "ingress-class:ok",
    "cert-manager:ok",
    "gpu-nodes:ok",
  ]);
  assert.is(code, 0);
  assert.ok(report.ok);
  assert.ok(calls.length > 0);
  for (const call of calls) assert.match(call, /^kubectl (version|get) /, call);
  assert.not.ok(
    calls.some((call) => call.startsWith("docker")),
    "Docker is not asked",
  );
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c.message]));
  assert.is(byId["kubectl"], "kubectl v1.32.4 (kustomize v5.5.0) builds kustomization.yaml");
  assert.is(byId["storage-class"], "the default StorageClass standard provisions the claims");
  assert.is(byId["gpu-nodes"], "the nodes offer 1 nvidia.com/gpu to each of 1 Ollama pod");
});

test("no kubectl, or one older than 1.27: a failure naming the fix, and nothing else is asked", async () => {
  const missing = await doctor(clusterConfig, {});
  assert.equal(statuses(missing.report), ["host:skip", "kubectl:fail"]);
  assert.is(missing.code, 1);
  assert.is(missing.report.checks[1]!.fix, "install kubectl 1.27 or later");
  const old = await doctor(clusterConfig, { ...healthy(), "kubectl version --client -o json": client("26") });
  assert.equal(statuses(old.report), ["host:skip", "kubectl:fail"]);
  assert.match(old.report.checks[1]!.message, /^kubectl v1\.26\.4 \(kustomize v4\.5\.7\) is older than 1\.27/);
  assert.equal(old.calls, ["kubectl version --client -o json"]);
});

test("a cluster that does not answer: named with kubectl's own words, the cluster checks wait for it", async () => {
  const { code, report } = await doctor(clusterConfig, { ...healthy(), [`kubectl version -o json ${T}`]: refused });
  assert.equal(statuses(report), ["host:skip", "kubectl:ok", "cluster:fail"]);
  assert.is(code, 1);
  assert.match(report.checks[2]!.message, /does not answer: The connection to the server localhost:8080 was refused/);
  assert.match(report.checks[2]!.fix ?? "", /kubectl config use-context/);
});

test("what the cluster lacks is named with the setting that asks for it and what to set instead", async () => {
  const lacking = {
    ...healthy(),
    [`kubectl get storageclass -o json ${T}`]: items([storageClass("standard"), storageClass("fast")]),
    [`kubectl get ingressclass -o json ${T}`]: items([ingressClass("traefik")]),
    [`kubectl get crd issuers.cert-manager.io -o name ${T}`]: {
      code: 1,
      stdout: "",
      stderr: 'Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io "issuers.cert-manager.io" not found\n',
    },
    [`kubectl get nodes -o json ${T}`]: items([node(0)]),
  };
  const { code, report } = await doctor(clusterConfig, lacking);
  assert.is(code, 1);
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  assert.is(byId["storage-class"]!.status, "fail");
  assert.is(byId["storage-class"]!.fix, "set kubernetes.storage.class to one of: standard, fast");
  assert.is(byId["shared-storage-class"]!.status, "fail");
  assert.match(byId["shared-storage-class"]!.message, /^StorageClass nfs \(kubernetes\.storage\.sharedClass\) does not exist/);
  assert.is(byId["ingress-class"]!.status, "warn");
  assert.match(byId["ingress-class"]!.message, /\(the cluster has traefik\)/);
  assert.is(byId["cert-manager"]!.status, "fail");
  assert.match(byId["cert-manager"]!.fix ?? "", /install cert-manager/);
  assert.is(byId["gpu-nodes"]!.status, "fail");
  assert.is(byId["gpu-nodes"]!.message, "no node offers nvidia.com/gpu: Ollama's pods would stay Pending");
  assert.match(byId["gpu-nodes"]!.fix ?? "", /NVIDIA device plugin/);

  const named = await doctor(
    { ...clusterConfig, kubernetes: { storage: { class: "ceph", sharedClass: "nfs" }, ingress: { className: "haproxy", clusterIssuer: "letsencrypt-prod" } } },
    {
      ...healthy(),
      [`kubectl get clusterissuer letsencrypt-prod -o name ${T}`]: {
        code: 1,
        stdout: "",
        stderr: 'Error from server (NotFound): clusterissuers.cert-manager.io "letsencrypt-prod" not found\n',
      },
    },
  );
  const namedById = Object.fromEntries(named.report.checks.map((c) => [c.id, c]));
  assert.match(namedById["storage-class"]!.message, /^StorageClass ceph \(kubernetes\.storage\.class\) does not exist/);
  assert.match(namedById["ingress-class"]!.message, /^IngressClass haproxy \(kubernetes\.ingress\.className\) does not exist/);
  assert.match(namedById["cert-manager"]!.message, /^ClusterIssuer letsencrypt-prod \(kubernetes\.ingress\.clusterIssuer\) does not exist/);
});

test("no security, no GPU: neither the ingress, cert-manager nor the nodes are asked", async () => {
  const { report, calls } = await doctor({ models: ["llama3.2:3b"], targets: ["kubernetes"] }, healthy());
  assert.equal(statuses(report), ["host:skip", "kubectl:ok", "cluster:ok", "storage-class:ok"]);
  assert.not.ok(calls.some((call) => /ingressclass|cert-manager|nodes/.test(call)));
});

test("a config with both targets: the host by default, the cluster with --target kubernetes", async () => {
  const both = { ...clusterConfig, targets: ["compose", "kubernetes"] };
  const host = await doctor(both, healthy());
  assert.ok(
    host.report.checks.some((c) => c.id === "docker"),
    "the Compose host is checked",
  );
  assert.not.ok(host.report.checks.some((c) => c.id === "kubectl"));
  const cluster = await doctor(both, healthy(), ["--target", "kubernetes"]);
  assert.equal(statuses(cluster.report).slice(0, 3), ["host:skip", "kubectl:ok", "cluster:ok"]);
});

test("cert-manager or the cluster's nodes the user may not read: a warning saying so, not a failure with the wrong fix", async () => {
  const forbidden: RunResult = {
    code: 1,
    stdout: "",
    stderr:
      'Error from server (Forbidden): customresourcedefinitions.apiextensions.k8s.io "issuers.cert-manager.io" is forbidden: User "dev" cannot get resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope\n',
  };
  const { code, report } = await doctor(clusterConfig, {
    ...healthy(),
    [`kubectl get crd issuers.cert-manager.io -o name ${T}`]: forbidden,
    [`kubectl get nodes -o json ${T}`]: {
      code: 1,
      stdout: "",
      stderr: 'Error from server (Forbidden): nodes is forbidden: User "dev" cannot list resource "nodes"\n',
    },
  });
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  assert.is(byId["cert-manager"]!.status, "warn");
  assert.match(byId["cert-manager"]!.message, /^cert-manager could not be checked: Error from server \(Forbidden\)/);
  assert.is(byId["gpu-nodes"]!.status, "warn");
  assert.is(code, 0, "nothing is known to be missing");
});

test("GPUs: every Ollama pod needs its count on one node, only nodes matching the selector count, AMD asks for one each", async () => {
  const two = { ...clusterConfig, scaling: { enabled: true, librechatReplicas: 2, ollamaReplicas: 2 } };
  const short = await doctor(two, { ...healthy(), [`kubectl get nodes -o json ${T}`]: items([node(1)]) });
  const shortGpu = short.report.checks.find((c) => c.id === "gpu-nodes")!;
  assert.is(shortGpu.status, "fail");
  assert.is(shortGpu.message, "the nodes fit 1 pod with 1 nvidia.com/gpu each, and there are 2 Ollama pods: the rest would stay Pending");
  assert.match(shortGpu.fix ?? "", /lower ollama\.gpu\.count or scaling\.ollamaReplicas/);
  const enough = await doctor(two, { ...healthy(), [`kubectl get nodes -o json ${T}`]: items([node(2)]) });
  assert.is(enough.report.checks.find((c) => c.id === "gpu-nodes")!.status, "ok", "one node with two GPUs holds both pods");

  const selected = { ...clusterConfig, kubernetes: { ...clusterConfig.kubernetes, gpu: { nodeSelector: { "gpu.example.com/model": "a100" } } } };
  const { report, calls } = await doctor(selected, { ...healthy(), [`kubectl get nodes -l gpu.example.com/model=a100 -o json ${T}`]: items([node(1)]) });
  assert.ok(calls.includes(`kubectl get nodes -l gpu.example.com/model=a100 -o json ${T}`));
  assert.match(report.checks.find((c) => c.id === "gpu-nodes")!.message, /matching gpu\.example\.com\/model=a100 \(kubernetes\.gpu\.nodeSelector\)/);

  const amd = { models: ["llama3.2:3b"], targets: ["kubernetes"], presets: ["amd"] };
  const none = await doctor(amd, { ...healthy(), [`kubectl get nodes -o json ${T}`]: items([node(1)]) });
  const amdGpu = none.report.checks.find((c) => c.id === "gpu-nodes")!;
  assert.is(amdGpu.message, "no node offers amd.com/gpu: Ollama's pods would stay Pending");
  assert.is(amdGpu.fix, "install the ROCm device plugin on the GPU nodes");
  const rocm = await doctor(amd, { ...healthy(), [`kubectl get nodes -o json ${T}`]: items([node(1, "amd.com/gpu")]) });
  assert.is(rocm.report.checks.find((c) => c.id === "gpu-nodes")!.status, "ok");

  const garbled = await doctor(clusterConfig, { ...healthy(), [`kubectl get nodes -o json ${T}`]: "not json" });
  assert.is(garbled.report.checks.find((c) => c.id === "gpu-nodes")!.status, "warn");
});

test("a ClusterIssuer that exists is enough: cert-manager's own resource is not asked then", async () => {
  const config = { ...clusterConfig, kubernetes: { ...clusterConfig.kubernetes, ingress: { clusterIssuer: "letsencrypt-prod" } } };
  const { report, calls } = await doctor(config, {
    ...healthy(),
    [`kubectl get clusterissuer letsencrypt-prod -o name ${T}`]: "clusterissuer.cert-manager.io/letsencrypt-prod\n",
  });
  assert.is(report.checks.find((c) => c.id === "cert-manager")!.message, "ClusterIssuer letsencrypt-prod exists");
  assert.not.ok(calls.some((call) => call.includes("get crd")));
});

test("llm models on a cluster's stack: nothing is published here, so it says how to forward Ollama's Service", async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ models: ["llama3.2:3b"], targets: ["kubernetes"], kubernetes: { namespace: "chat" } }));
    const run = await runCli(["models", "list"], dir);
    assert.is(run.code, 69, run.stderr);
    assert.match(run.stderr, /error OLLAMA_UNREACHABLE: Ollama runs on the cluster \(llm\.config\.json targets Kubernetes\)/);
    assert.match(run.stderr, /kubectl -n chat port-forward svc\/ollama 11434:11434`, then pass --url http:\/\/127\.0\.0\.1:11434/);
    // Several pods each keep their own models: a Service forward would reach one of them.
    writeFileSync(
      path.join(dir, "llm.config.json"),
      JSON.stringify({
        models: ["llama3.2:3b"],
        targets: ["kubernetes"],
        scaling: { enabled: true, librechatReplicas: 1, ollamaReplicas: 2 },
        kubernetes: { namespace: "chat" },
      }),
    );
    const scaled = await runCli(["models", "list"], dir);
    assert.is(scaled.code, 69, scaled.stderr);
    assert.match(scaled.stderr, /each of the 2 Ollama pods keeps its own models: add the model to models in llm\.config\.json and apply again/);
  } finally {
    removeDir(dir);
  }
});

test.run();
