// The Kubernetes target, judged by tools others wrote: every example renders (or is refused with a
// named config error, writing nothing), `kubectl kustomize` builds it, every object passes
// kubernetes-models' schemas and the cross-reference checks of test/helpers/kubernetes.ts; and
// what the mapping promises holds on the built objects.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadConfig } from "../src/config/load.js";
import { describeStack } from "../src/pipeline.js";
import { kustomizeDifferences } from "../src/secrets/kustomize-env.js";
import { parseSecrets } from "../src/secrets/store.js";
import { kustomize, objectsOf, validateK8s, type K8sObject } from "./helpers/kubernetes.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { listFiles, removeDir, runCli, seededRandom, snapshot, tempDir } from "./helpers/workspace.js";

const test = suite("Kubernetes target: kustomize builds it, kubernetes-models and the reference checks accept it");

/** A copy of an example without its secrets, generated for Kubernetes. */
async function generated(example: string, extra: string[] = [], seed = "k8s"): Promise<{ dir: string; code: number; stderr: string }> {
  const dir = tempDir("llm-k8s-");
  cpSync(path.join(EXAMPLES, example), dir, { recursive: true });
  rmSync(path.join(dir, "secrets.env"), { force: true });
  rmSync(path.join(dir, "secrets"), { recursive: true, force: true });
  // A folder for a new cluster: without the manifest's record of secrets.env's names, generate
  // makes them (with it, a lost CREDS_KEY is refused: the cluster may hold what it protects).
  rmSync(path.join(dir, ".llm"), { recursive: true, force: true });
  rmSync(path.join(dir, "kustomization.yaml"), { force: true });
  rmSync(path.join(dir, "kubernetes"), { recursive: true, force: true });
  const run = await runCli(["generate", "--quiet", "--target", "kubernetes", ...extra], dir, { random: seededRandom(seed) });
  return { dir, code: run.code, stderr: run.stderr };
}

type Pod = { owner: K8sObject; spec: Record<string, unknown> };
const podsOf = (objects: readonly K8sObject[]): Pod[] =>
  objects.flatMap((o) => {
    const template = (o["spec"] as { template?: { spec?: Record<string, unknown> } } | undefined)?.template;
    return template?.spec ? [{ owner: o, spec: template.spec }] : [];
  });
type Container = {
  name: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string } } }[];
  resources?: { limits?: Record<string, string> };
  [k: string]: unknown;
};
const containersOf = (pod: Pod) => (pod.spec["containers"] as Container[]) ?? [];
const byKind = (objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: readonly K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

const RENDERS = ["all-modules", "amd-rocm", "custom-endpoints", "low-ram-laptop", "minimal-cpu", "monitoring", "rag", "security"];

test("every example renders, kustomize builds it and every object passes the schemas and the reference checks", async () => {
  const examples = readdirSync(EXAMPLES).filter((name) => existsSync(path.join(EXAMPLES, name, "llm.config.ts")));
  assert.equal(examples.filter((name) => !RENDERS.includes(name)).sort(), ["nvidia-workstation", "scaling"], "the two refused below");
  for (const example of RENDERS) {
    const { dir, code, stderr } = await generated(example);
    try {
      assert.is(code, 0, `${example}: ${stderr}`);
      const problems = await validateK8s(kustomize(dir));
      assert.equal(problems, [], example);
    } finally {
      removeDir(dir);
    }
  }
});

test("a lost CREDS_KEY is refused on Kubernetes even without a local data folder: the cluster's claims may hold what it protects", async () => {
  const dir = tempDir("llm-k8s-");
  cpSync(path.join(EXAMPLES, "all-modules"), dir, { recursive: true });
  try {
    const before = snapshot(dir);
    const refused = await runCli(["generate", "--target", "kubernetes"], dir);
    assert.is(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /SECRET_LOST/);
    assert.equal(snapshot(dir), before);
    const compose = await runCli(["generate", "--quiet", "--target", "compose"], dir);
    assert.is(compose.code, 2, "both targets are in the config: its cluster may hold the data");
    const accepted = await runCli(
      [
        "generate",
        "--quiet",
        "--target",
        "kubernetes",
        ...["CREDS_IV", "CREDS_KEY", "MONGO_PASSWORD", "VECTORDB_PASSWORD"].flatMap((name) => ["--new-secret", name]),
      ],
      dir,
    );
    assert.is(accepted.code, 0, accepted.stderr);
  } finally {
    removeDir(dir);
  }
});

test("the next steps for a cluster: apply -k, how to reach LibreChat, how to follow the pull, in the stack's namespace", async () => {
  const dir = tempDir("llm-k8s-");
  cpSync(path.join(EXAMPLES, "monitoring"), dir, { recursive: true });
  rmSync(path.join(dir, ".llm"), { recursive: true, force: true });
  try {
    const run = await runCli(["generate", "--target", "kubernetes", "--set", "kubernetes.namespace=chat"], dir);
    assert.is(run.code, 0, run.stderr);
    const steps = run.stdout.slice(run.stdout.indexOf("Next steps (Kubernetes):"));
    assert.match(steps, /kubectl apply -k \.\s+create or update the stack in namespace chat/);
    assert.match(steps, /kubectl -n chat port-forward svc\/librechat 3080:3080/);
    assert.match(steps, /kubectl -n chat logs -f -l app\.kubernetes\.io\/name=ollama-pull/);
    assert.match(steps, /kubectl -n chat port-forward svc\/grafana 3000:3000/);
    assert.not.match(run.stdout, /docker compose/);
    assert.is(objectsOf(readFileSync(path.join(dir, "kubernetes/namespace.yaml"), "utf8"))[0]!.metadata.name, "chat");
  } finally {
    removeDir(dir);
  }
});

test("a config that cannot serve a cluster is a named config error, and nothing is written", async () => {
  for (const [example, key] of [
    ["nvidia-workstation", "ollama.gpu.count"],
    ["scaling", "kubernetes.storage.sharedClass"],
  ] as const) {
    const dir = tempDir("llm-k8s-");
    cpSync(path.join(EXAMPLES, example), dir, { recursive: true });
    const before = snapshot(dir);
    try {
      const run = await runCli(["generate", "--target", "kubernetes"], dir);
      assert.is(run.code, 2, example);
      assert.match(run.stderr, new RegExp(`${key.replace(/\./g, "\\.")}: `), example);
      assert.match(run.stderr, /fix: /);
      assert.equal(snapshot(dir), before, `${example}: nothing written`);
    } finally {
      removeDir(dir);
    }
  }
});

test("the validators are not blind: each broken reference or value is reported", async () => {
  const { dir } = await generated("all-modules");
  try {
    const text = kustomize(dir);
    const secret = /name: (llm-secrets-[a-z0-9]+)/.exec(text)![1]!;
    const mutations: [string, (t: string) => string, RegExp][] = [
      // The first use of the name is the Secret's own; the second, a pod's reference.
      [
        "a missing Secret",
        (t) => t.replace(`name: ${secret}`, "\u0000").replace(`name: ${secret}`, "name: llm-secret").replace("\u0000", `name: ${secret}`),
        /names a missing Secret llm-secret/,
      ],
      ["a key the Secret lacks", (t) => t.replace("key: CREDS_KEY", "key: CREDS_KEYS"), /has no key CREDS_KEYS/],
      ["a bad quantity", (t) => t.replace("memory: 8Gi", "memory: 8gb"), /quantity/],
      ["a probe's unknown port", (t) => t.replace("port: http\n", "port: htp\n"), /unknown port name htp/],
      ["replicas as a string", (t) => t.replace(/replicas: 1\n/, 'replicas: "1"\n'), /must be integer/],
      ["a missing claim", (t) => t.replace("claimName: librechat-uploads", "claimName: librechat-upload"), /missing PVC librechat-upload/],
      [
        "a missing ConfigMap",
        (t) => t.replace(/configMap:\n(\s+)name: config-librechat-yaml-[a-z0-9]+/, "configMap:\n$1name: config-librechat-yml"),
        /missing ConfigMap config-librechat-yml/,
      ],
      [
        "a Service that selects nothing",
        (t) =>
          t.replace(
            "    targetPort: http\n  selector:\n    app.kubernetes.io/name: meilisearch\n",
            "    targetPort: http\n  selector:\n    app.kubernetes.io/name: meili\n",
          ),
        /matches no pod/,
      ],
      ["an object without its namespace", (t) => t.replace(/\n  namespace: llm-stack\n/, "\n"), /no namespace/],
      [
        "a name that is not DNS-1123",
        (t) => t.replace("name: default-deny-ingress\n", "name: Default_Deny\n"),
        /NetworkPolicy\/Default_Deny: name is not DNS-1123/,
      ],
      [
        "a Service without a selector",
        (t) => t.replace("    targetPort: http\n  selector:\n    app.kubernetes.io/name: meilisearch\n", "    targetPort: http\n  selector: {}\n"),
        /Service\/meilisearch: no selector/,
      ],
      [
        "an object in another namespace",
        (t) => t.replace(/(name: meilisearch\n)  namespace: llm-stack\n/, "$1  namespace: elsewhere\n"),
        /spread over namespaces elsewhere, llm-stack/,
      ],
      ["a $(NAME) not listed before it", (t) => t.replace("$(MONGO_PASSWORD)", "$(MONGO_PASS)"), /refers to \$\(MONGO_PASS\), not listed before it/],
      [
        "a policy's port no pod listens on",
        (t) => t.replace(/- port: 27017\n(\s+)protocol: TCP/, "- port: 27018\n$1protocol: TCP"),
        /opens port 27018, on which no selected pod listens/,
      ],
    ];
    for (const [what, mutate, expected] of mutations) {
      const broken = mutate(text);
      assert.ok(broken !== text, `${what}: the mutation applies`);
      const problems = await validateK8s(broken);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${what}: ${problems.join("; ") || "no problem reported"}`,
      );
    }
    assert.equal(await validateK8s(""), ["no objects: empty or unreadable input"]);
  } finally {
    removeDir(dir);
  }
});

test("all-modules' Kubernetes files are committed; --check --target kubernetes passes without secrets.env", async () => {
  const example = path.join(EXAMPLES, "all-modules");
  assert.ok(existsSync(path.join(example, "kustomization.yaml")));
  assert.ok(readdirSync(path.join(example, "kubernetes")).length >= 10);
  assert.not.ok(existsSync(path.join(example, "secrets.env")));
  const run = await runCli(["generate", "--check", "--target", "kubernetes", "--config", path.join(example, "llm.config.ts")], ROOT);
  assert.is(run.code, 0, run.stdout + run.stderr);
});

test("the same bytes twice: two generates, two kustomize builds; a changed secret renames the Secret and every reference follows", async () => {
  const a = await generated("all-modules");
  const b = await generated("all-modules");
  try {
    const committed = (dir: string) => listFiles(dir).filter((file) => file === "kustomization.yaml" || file.startsWith("kubernetes/"));
    assert.equal(committed(a.dir), committed(b.dir));
    for (const file of committed(a.dir)) assert.is(readFileSync(path.join(a.dir, file), "utf8"), readFileSync(path.join(b.dir, file), "utf8"), file);
    const first = kustomize(a.dir);
    assert.is(kustomize(a.dir), first);
    const before = /name: (llm-secrets-[a-z0-9]+)/.exec(first)![1]!;
    const secrets = path.join(a.dir, "secrets.env");
    writeFileSync(secrets, readFileSync(secrets, "utf8").replace(/^METRICS_SECRET=.*$/m, "METRICS_SECRET=another-value-0123456789abcdef0123456789abcdef"));
    const after = kustomize(a.dir);
    const renamed = /name: (llm-secrets-[a-z0-9]+)/.exec(after)![1]!;
    assert.not.equal(renamed, before);
    assert.not.ok(after.includes(before), "no reference to the old Secret is left");
    assert.ok(after.split(renamed).length > 20, "the references follow the new name");
  } finally {
    removeDir(a.dir);
    removeDir(b.dir);
  }
});

test("no secret value in any committed file, and no Secret object among the manifests", async () => {
  const { dir } = await generated("all-modules");
  try {
    const values = [...parseSecrets(readFileSync(path.join(dir, "secrets.env"), "utf8")).values()].map((entry) => entry.value);
    assert.ok(values.length >= 9);
    const committed = listFiles(dir).filter((file) => file === "kustomization.yaml" || file.startsWith("kubernetes/") || file === ".llm/manifest.json");
    for (const file of committed) {
      const text = readFileSync(path.join(dir, file), "utf8");
      for (const value of values) assert.not.ok(text.includes(value), `${file} holds a secret`);
      assert.not.match(text, /^kind: Secret$/m, file);
    }
  } finally {
    removeDir(dir);
  }
});

test("promtool accepts the Kubernetes prometheus.yml (DNS discovery of LibreChat's pods, the token beside it)", async () => {
  const { dir } = await generated("monitoring");
  try {
    const file = path.join(dir, "kubernetes/config/prometheus/prometheus.yml");
    const result = spawnSync("promtool", ["check", "config", file], { encoding: "utf8" });
    assert.is(result.status, 0, result.stdout + result.stderr);
    const text = readFileSync(file, "utf8");
    assert.match(text, /dns_sd_configs:\n\s+- names:\n\s+- librechat-headless/);
    assert.match(text, /credentials_file: \.\.\/\.\.\/\.\.\/secrets\/metrics-token/);
    assert.not.match(text, /cadvisor|node-exporter/);
  } finally {
    removeDir(dir);
  }
});

test("GPUs: NVIDIA asks for nvidia.com/gpu and tolerates its taint; AMD for amd.com/gpu without host devices; the CPU stack for none", async () => {
  const nvidia = await generated("nvidia-workstation", ["--set", "ollama.gpu.count=1", "--set", "kubernetes.gpu.runtimeClassName=nvidia"]);
  const amd = await generated("amd-rocm");
  const cpu = await generated("minimal-cpu");
  try {
    assert.is(nvidia.code, 0, nvidia.stderr);
    const ollama = (dir: string) => podsOf(objectsOf(readFileSync(path.join(dir, "kubernetes/ollama.yaml"), "utf8")))[0]!;
    const n = ollama(nvidia.dir);
    assert.equal(containersOf(n)[0]!.resources!.limits!["nvidia.com/gpu"], "1");
    assert.equal(n.spec["tolerations"], [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    assert.is(n.spec["runtimeClassName"], "nvidia");
    const a = ollama(amd.dir);
    assert.equal(containersOf(a)[0]!.resources!.limits!["amd.com/gpu"], "1");
    assert.match(String(containersOf(a)[0]!["image"]), /-rocm$/);
    const amdText = listFiles(amd.dir)
      .filter((f) => f.startsWith("kubernetes/"))
      .map((f) => readFileSync(path.join(amd.dir, f), "utf8"))
      .join("\n");
    assert.not.match(amdText, /hostPath|\/dev\/kfd|\/dev\/dri/);
    const c = ollama(cpu.dir);
    assert.equal(Object.keys(containersOf(c)[0]!.resources!.limits!).sort(), ["cpu", "memory"]);
    assert.is(c.spec["tolerations"], undefined);
  } finally {
    for (const run of [nvidia, amd, cpu]) removeDir(run.dir);
  }
});

test("scaling: LibreChat's pods are one Deployment plus its replicas (MEILI_NO_SYNC), one Service, Redis, no nginx, ReadWriteMany files; Ollama's pods each with their GPUs, all pulled", async () => {
  const { dir, code, stderr } = await generated("scaling", [
    "--set",
    "scaling.librechatReplicas=3",
    "--set",
    "scaling.ollamaReplicas=2",
    "--set",
    "kubernetes.storage.sharedClass=nfs-client",
    "--set",
    'presets=["nvidia"]',
    "--set",
    'ollama.gpu.deviceIds=["0","1"]',
  ]);
  try {
    assert.is(code, 0, stderr);
    const objects = objectsOf(kustomize(dir));
    assert.equal(await validateK8s(kustomize(dir)), []);
    const primary = named(objects, "Deployment", "librechat")!;
    const replica = named(objects, "Deployment", "librechat-replica")!;
    assert.is((primary["spec"] as { replicas: number }).replicas, 1);
    assert.is((replica["spec"] as { replicas: number }).replicas, 2);
    const envOf = (o: K8sObject) => containersOf(podsOf([o])[0]!)[0]!.env!;
    assert.ok(envOf(replica).some((e) => e.name === "MEILI_NO_SYNC" && e.value === "true"));
    assert.not.ok(envOf(primary).some((e) => e.name === "MEILI_NO_SYNC"));
    assert.equal(
      byKind(objects, "Service")
        .map((s) => s.metadata.name)
        .filter((n) => n.startsWith("librechat")),
      ["librechat"],
    );
    assert.ok(named(objects, "StatefulSet", "redis"));
    assert.not.ok(objects.some((o) => o.metadata.name.includes("nginx")));
    for (const claim of ["librechat-uploads", "librechat-images"]) {
      const spec = named(objects, "PersistentVolumeClaim", claim)!["spec"] as { accessModes: string[]; storageClassName: string };
      assert.equal([spec.accessModes, spec.storageClassName], [["ReadWriteMany"], "nfs-client"]);
    }
    const ollama = named(objects, "StatefulSet", "ollama")!;
    assert.is((ollama["spec"] as { replicas: number }).replicas, 2);
    assert.equal(containersOf(podsOf([ollama])[0]!)[0]!.resources!.limits!["nvidia.com/gpu"], "1");
    const job = byKind(objects, "Job")[0]!;
    const hosts = containersOf(podsOf([job])[0]!)[0]!.env!.find((e) => e.name === "OLLAMA_HOSTS")!.value;
    assert.is(hosts, "http://ollama-0.ollama-headless:11434 http://ollama-1.ollama-headless:11434");
  } finally {
    removeDir(dir);
  }
});

test("security: an Ingress with TLS from cert-manager (staging server when asked), the solver let in, sign-ups closed; self-signed needs no Issuer; no Traefik", async () => {
  const staging = await generated("all-modules");
  const selfSigned = await generated("security", ["--set", "security.certificates=self-signed", "--set", "security.domain=chat.lan"]);
  try {
    const objects = objectsOf(kustomize(staging.dir));
    const ingress = named(objects, "Ingress", "librechat")!;
    const spec = ingress["spec"] as { tls: { hosts: string[]; secretName: string }[]; rules: { host: string }[] };
    assert.equal(spec.tls, [{ hosts: ["chat.example.com"], secretName: "librechat-tls" }]);
    assert.is(spec.rules[0]!.host, "chat.example.com");
    assert.is(ingress.metadata.annotations!["cert-manager.io/issuer"], "letsencrypt");
    const acme = (named(objects, "Issuer", "letsencrypt")!["spec"] as { acme: { email: string; server: string } }).acme;
    assert.equal([acme.email, acme.server], ["ops@example.com", "https://acme-staging-v02.api.letsencrypt.org/directory"]);
    const solver = named(objects, "NetworkPolicy", "allow-acme-http01-solver")!["spec"] as { podSelector: unknown; ingress: { ports: { port: number }[] }[] };
    assert.equal(solver.podSelector, { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } });
    assert.is(solver.ingress[0]!.ports[0]!.port, 8089);
    const env = containersOf(podsOf([named(objects, "Deployment", "librechat")!])[0]!)[0]!.env!;
    assert.ok(env.some((e) => e.name === "ALLOW_REGISTRATION" && e.value === "false"));
    assert.ok(
      env.some((e) => e.name === "TRUST_PROXY" && e.value === "1"),
      "one hop: the ingress controller",
    );
    assert.not.ok(kustomize(staging.dir).includes("traefik"));

    assert.is(selfSigned.code, 0, selfSigned.stderr);
    const plain = objectsOf(kustomize(selfSigned.dir));
    assert.is(byKind(plain, "Issuer").length, 0);
    assert.is(named(plain, "Ingress", "librechat")!.metadata.annotations, undefined);
  } finally {
    removeDir(staging.dir);
    removeDir(selfSigned.dir);
  }
});

test("monitoring: no ClusterRole, no node-exporter or cAdvisor; Grafana reads only its password, Prometheus only the metrics token", async () => {
  const { dir } = await generated("monitoring");
  try {
    const objects = objectsOf(kustomize(dir));
    assert.not.ok(objects.some((o) => o.kind === "ClusterRole" || /node-exporter|cadvisor/.test(o.metadata.name)));
    const secretKeysOf = (name: string) => {
      const pod = podsOf(objects).find((p) => p.owner.metadata.name === name)!;
      const fromEnv = [...((pod.spec["initContainers"] as Container[] | undefined) ?? []), ...containersOf(pod)].flatMap((c) =>
        (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.key] : [])),
      );
      const fromVolumes = ((pod.spec["volumes"] as { secret?: { items: { key: string }[] } }[] | undefined) ?? []).flatMap(
        (v) => v.secret?.items.map((i) => i.key) ?? [],
      );
      return [...new Set([...fromEnv, ...fromVolumes])].sort();
    };
    assert.equal(secretKeysOf("grafana"), ["GRAFANA_ADMIN_PASSWORD"]);
    assert.equal(secretKeysOf("prometheus"), ["METRICS_SECRET"]);
    assert.equal(secretKeysOf("meilisearch"), ["MEILI_MASTER_KEY"]);
    assert.equal(secretKeysOf("mongodb"), ["MONGO_PASSWORD"]);
  } finally {
    removeDir(dir);
  }
});

test("least privilege on the cluster: each pod reads exactly the keys of the Secret its service reads on Compose", async () => {
  const { dir } = await generated("all-modules");
  try {
    const objects = objectsOf(kustomize(dir));
    const loaded = await loadConfig(dir);
    assert.ok(loaded.ok);
    const described = describeStack(loaded.value, { target: "kubernetes" });
    assert.ok(described.ok);
    const stack = described.value.stack;
    const checked: string[] = [];
    for (const pod of podsOf(objects)) {
      const service = pod.owner.metadata.labels?.["app.kubernetes.io/name"] ?? "";
      const keys = [...((pod.spec["initContainers"] as Container[] | undefined) ?? []), ...containersOf(pod)].flatMap((c) =>
        (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.key] : [])),
      );
      const mounted = ((pod.spec["volumes"] as { secret?: { items: { key: string }[] } }[] | undefined) ?? []).flatMap(
        (v) => v.secret?.items.map((i) => i.key) ?? [],
      );
      const expected = stack.secrets.filter((use) => use.readers.includes(service)).map((use) => use.name);
      assert.equal([...new Set([...keys, ...mounted])].sort(), expected.sort(), pod.owner.metadata.name);
      checked.push(pod.owner.metadata.name);
    }
    assert.ok(checked.length >= 10, checked.join(", "));
  } finally {
    removeDir(dir);
  }
});

test("probes and resources: every long-running container starts and readies by its healthcheck (HTTP ones as httpGet), none is killed by a liveness probe; every container has limits", async () => {
  const { dir } = await generated("all-modules");
  try {
    const objects = objectsOf(kustomize(dir));
    for (const pod of podsOf(objects)) {
      for (const c of containersOf(pod)) {
        assert.ok(c.resources?.limits?.["memory"], `${c.name} memory limit`);
        assert.is(c["livenessProbe"], undefined, c.name);
        if (pod.owner.kind === "Job") continue;
        assert.ok(c["startupProbe"] && c["readinessProbe"], `${c.name} probes`);
      }
    }
    const probeOf = (name: string) => containersOf(podsOf(objects).find((p) => p.owner.metadata.name === name)!)[0]!["readinessProbe"];
    assert.equal(probeOf("librechat"), { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 });
    assert.equal((probeOf("mongodb") as { exec: { command: string[] } }).exec.command, ["mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"]);
    const ollama = containersOf(podsOf(objects).find((p) => p.owner.metadata.name === "ollama")!)[0]!;
    assert.equal(ollama.resources!.limits, { memory: "8Gi", cpu: "4" });
  } finally {
    removeDir(dir);
  }
});

test("NetworkPolicies: default deny, and each backend accepts only the services that use it", async () => {
  const { dir } = await generated("all-modules");
  try {
    const objects = objectsOf(kustomize(dir));
    const deny = named(objects, "NetworkPolicy", "default-deny-ingress")!["spec"];
    assert.equal(deny, { podSelector: {}, policyTypes: ["Ingress"] });
    const sources = (backend: string) =>
      (
        named(objects, "NetworkPolicy", `allow-${backend}`)!["spec"] as { ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[] }
      ).ingress[0]!.from.map((f) => f.podSelector.matchLabels["app.kubernetes.io/name"]).sort();
    assert.equal(sources("mongodb"), ["librechat"]);
    assert.equal(sources("meilisearch"), ["librechat"]);
    assert.equal(sources("redis"), ["librechat"]);
    assert.equal(sources("ollama"), ["librechat", "ollama-pull", "rag-api"]);
    assert.equal(sources("vectordb"), ["rag-api"]);
    assert.equal(sources("rag-api"), ["librechat"]);
    assert.equal(sources("librechat"), ["prometheus"]);
    assert.equal(sources("prometheus"), ["grafana"]);
  } finally {
    removeDir(dir);
  }
});

test("secrets.env that kustomize would read otherwise is refused by key, never by value, and nothing changes", async () => {
  const { dir } = await generated("minimal-cpu");
  try {
    appendFileSync(path.join(dir, "secrets.env"), "EXTRA='quoted value'\nexport EXPORTED=s3cr3t-exported\n");
    const before = snapshot(dir);
    for (const command of ["generate", "validate"]) {
      const run = await runCli([command, "--target", "kubernetes"], dir);
      assert.is(run.code, 2, command);
      assert.match(run.stderr, /EXTRA \(line \d+\)/);
      assert.match(run.stderr, /EXPORTED/);
      assert.not.match(run.stderr + run.stdout, /quoted value|s3cr3t-exported/);
      assert.equal(snapshot(dir), before, `${command} changed nothing`);
    }
    // Compose reads the same file as it is: the check is the Kubernetes target's.
    assert.is((await runCli(["validate", "--target", "compose"], dir)).code, 0);
  } finally {
    removeDir(dir);
  }
});

test("kustomize (the kubectl on PATH) reads an env file literally: the facts secrets/kustomize-env.ts refuses by", () => {
  const dir = tempDir("llm-kustomize-");
  try {
    writeFileSync(
      path.join(dir, "kustomization.yaml"),
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n  - name: s\n    envs: [s.env]\n",
    );
    writeFileSync(path.join(dir, "s.env"), "# a comment\nQUOTED='x'\nCOMMENTED=y # c\n  PADDED=pad  \nexport EXPORTED=1\nNOEQUALS\n");
    const secret = objectsOf(kustomize(dir)).find((o) => o.kind === "Secret")!;
    const data = Object.fromEntries(Object.entries(secret["data"] as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
    assert.equal(data, { QUOTED: "'x'", COMMENTED: "y # c", PADDED: "pad  ", "export EXPORTED": "1", NOEQUALS: "" });
    assert.equal(
      kustomizeDifferences(readFileSync(path.join(dir, "s.env"), "utf8")).map((d) => d.key),
      ["QUOTED", "COMMENTED", "PADDED", "EXPORTED", "NOEQUALS"],
    );
    assert.equal(kustomizeDifferences("# generated\nCREDS_KEY=0123abcd\nJWT_SECRET=AbC-_09\n"), []);
    // Windows line endings: kustomize drops the \r as Compose does.
    assert.equal(kustomizeDifferences("CREDS_KEY=0123abcd\r\nJWT_SECRET=AbC\r\n"), []);
  } finally {
    removeDir(dir);
  }
});

test("a user's own keys in secrets.env reach LibreChat through a Secret of their own (optional: a missing one is empty, as on Compose)", async () => {
  const { dir, code, stderr } = await generated("custom-endpoints");
  try {
    assert.is(code, 0, stderr);
    const before = objectsOf(kustomize(dir));
    const librechat = containersOf(podsOf([named(before, "Deployment", "librechat")!])[0]!)[0]!;
    assert.equal(librechat["envFrom"], [{ secretRef: { name: (/name: (llm-user-secrets-[a-z0-9]+)/.exec(kustomize(dir)) ?? [])[1], optional: true } }]);
    assert.not.ok(
      (librechat.env ?? []).some((e) => e.name === "OPENROUTER_KEY"),
      "not a key of the generated Secret",
    );
    appendFileSync(path.join(dir, "secrets.env"), "OPENROUTER_KEY=sk-or-v1-test\nOPENAI_API_KEY=sk-test\n");
    assert.is((await runCli(["generate", "--quiet", "--target", "kubernetes"], dir)).code, 0);
    const after = objectsOf(kustomize(dir));
    const userSecret = after.find((o) => o.kind === "Secret" && o.metadata.name.startsWith("llm-user-secrets-"))!;
    assert.equal(Object.keys(userSecret["data"] as object).sort(), ["OPENAI_API_KEY", "OPENROUTER_KEY"]);
    assert.equal(await validateK8s(kustomize(dir)), []);
    // Only LibreChat reads them.
    const readers = podsOf(after).filter((pod) => JSON.stringify(pod.spec).includes("llm-user-secrets"));
    assert.equal(
      readers.map((pod) => pod.owner.metadata.name),
      ["librechat"],
    );
  } finally {
    removeDir(dir);
  }
});

test("choices for a cluster: production ACME, a ClusterIssuer, the controller's class and namespace, no Namespace object, no NetworkPolicies", async () => {
  const production = await generated("security", [
    "--set",
    "kubernetes.ingress.className=nginx",
    "--set",
    "kubernetes.ingress.controllerNamespace=ingress-nginx",
  ]);
  const cluster = await generated("security", [
    "--set",
    "kubernetes.ingress.clusterIssuer=letsencrypt-prod",
    "--set",
    "kubernetes.createNamespace=false",
    "--set",
    "kubernetes.networkPolicies=false",
  ]);
  try {
    const p = objectsOf(kustomize(production.dir));
    const acme = (named(p, "Issuer", "letsencrypt")!["spec"] as { acme: { server: string; solvers: unknown[] } }).acme;
    assert.is(acme.server, "https://acme-v02.api.letsencrypt.org/directory");
    assert.equal(acme.solvers, [{ http01: { ingress: { ingressClassName: "nginx" } } }]);
    assert.is((named(p, "Ingress", "librechat")!["spec"] as { ingressClassName: string }).ingressClassName, "nginx");
    const allow = named(p, "NetworkPolicy", "allow-ingress-controller")!["spec"] as { ingress: { from: unknown[] }[] };
    assert.equal(allow.ingress[0]!.from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }]);
    assert.ok(named(p, "Namespace", "llm-stack"));

    const c = objectsOf(kustomize(cluster.dir));
    assert.is(byKind(c, "Issuer").length, 0);
    assert.is(named(c, "Ingress", "librechat")!.metadata.annotations!["cert-manager.io/cluster-issuer"], "letsencrypt-prod");
    assert.is(byKind(c, "Namespace").length, 0);
    assert.is(byKind(c, "NetworkPolicy").length, 0);
    assert.not.ok(existsSync(path.join(cluster.dir, "kubernetes/network-policies.yaml")));
  } finally {
    removeDir(production.dir);
    removeDir(cluster.dir);
  }
});

test("what cannot change in place stays put: the first LibreChat Deployment's selector and shared claims across scaling, a Job renamed by any change, claims named by data version", async () => {
  const one = await generated("all-modules", ["--set", "scaling.enabled=false"]);
  const two = await generated("all-modules");
  const models = await generated("all-modules", ["--set", 'models=["llama3.2:1b","nomic-embed-text"]']);
  try {
    const selectorOf = (dir: string) => (named(objectsOf(kustomize(dir)), "Deployment", "librechat")!["spec"] as { selector: unknown }).selector;
    assert.equal(selectorOf(one.dir), selectorOf(two.dir));
    const claimSpec = (dir: string) => named(objectsOf(kustomize(dir)), "PersistentVolumeClaim", "librechat-uploads")!["spec"];
    assert.equal(claimSpec(one.dir), claimSpec(two.dir), "ReadWriteMany from the start when a shared class is named");
    const jobName = (dir: string) => byKind(objectsOf(kustomize(dir)), "Job")[0]!.metadata.name;
    assert.not.equal(jobName(two.dir), jobName(models.dir), "a Job's template cannot change in place: a new list of models is a new Job");
    const templates = (named(objectsOf(kustomize(two.dir)), "StatefulSet", "mongodb")!["spec"] as { volumeClaimTemplates: { metadata: { name: string } }[] })
      .volumeClaimTemplates;
    assert.equal(
      templates.map((t) => t.metadata.name),
      ["mongodb-8-0"],
    );
  } finally {
    for (const run of [one, two, models]) removeDir(run.dir);
  }
});

test("refused for a cluster: a stack name that is no namespace, a size for a claim that does not exist; sign-ups closed behind any Ingress", async () => {
  const badName = await generated("minimal-cpu", ["--set", "name=my_stack"]);
  const typo = await generated("minimal-cpu", ["--set", "kubernetes.storage.sizes.olama=100Gi"]);
  const selfSigned = await generated("security", ["--set", "security.certificates=self-signed", "--set", "security.domain=chat.lan"]);
  try {
    assert.is(badName.code, 2);
    assert.match(badName.stderr, /name: the stack's name "my_stack" is its Kubernetes namespace too/);
    assert.match(badName.stderr, /set kubernetes\.namespace to a name such as "my-stack"/);
    assert.is(typo.code, 2);
    assert.match(typo.stderr, /kubernetes\.storage\.sizes\.olama: no volume claim is named "olama"/);
    assert.match(typo.stderr, /did you mean "ollama"/);
    const env = containersOf(podsOf([named(objectsOf(kustomize(selfSigned.dir)), "Deployment", "librechat")!])[0]!)[0]!.env!;
    assert.ok(env.some((e) => e.name === "ALLOW_REGISTRATION" && e.value === "false"));
  } finally {
    for (const run of [badName, typo, selfSigned]) removeDir(run.dir);
  }
});

test("a Secret of your own (kubernetes.secrets.existingSecret): no generator, every reference names it, secrets.env is not read", async () => {
  const { dir, code, stderr } = await generated("monitoring", ["--set", "kubernetes.secrets.existingSecret=stack-secrets"]);
  try {
    assert.is(code, 0, stderr);
    const kustomization = readFileSync(path.join(dir, "kustomization.yaml"), "utf8");
    assert.not.match(kustomization, /secretGenerator/);
    rmSync(path.join(dir, "secrets.env"));
    const text = kustomize(dir);
    assert.not.match(text, /llm-secrets/);
    assert.ok(text.split("name: stack-secrets").length > 5);
  } finally {
    removeDir(dir);
  }
});

test("targets: a run for one target leaves the other's files alone; dropping a target removes exactly its files", async () => {
  const dir = tempDir("llm-k8s-");
  cpSync(path.join(EXAMPLES, "all-modules"), dir, { recursive: true });
  // A new cluster: CREDS_KEY and the passwords may be made (the manifest would say they existed).
  rmSync(path.join(dir, ".llm"), { recursive: true, force: true });
  try {
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    const k8sFiles = (d: string) => listFiles(d).filter((f) => f === "kustomization.yaml" || f.startsWith("kubernetes/"));
    const composeFiles = ["docker-compose.yml", ".env", "librechat.yaml", "nginx/nginx.conf", "traefik/traefik.yml"];
    const all = snapshot(dir);
    assert.ok(k8sFiles(dir).length >= 15);

    // Edit the config so both targets would change, then run for Compose only.
    const config = path.join(dir, "llm.config.ts");
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace("monitoring: { enabled: true },", 'monitoring: { enabled: true },\n  librechat: { title: "Team" },'),
    );
    assert.is((await runCli(["generate", "--quiet", "--target", "compose"], dir)).code, 0);
    const afterCompose = snapshot(dir);
    for (const file of k8sFiles(dir)) assert.equal(afterCompose.get(file)?.contents, all.get(file)?.contents, `${file} untouched by --target compose`);
    assert.not.equal(afterCompose.get(".env")?.contents, all.get(".env")?.contents);
    assert.is((await runCli(["generate", "--check", "--target", "compose"], dir)).code, 0);
    assert.is((await runCli(["generate", "--check", "--target", "kubernetes"], dir)).code, 1, "Kubernetes' files are stale now");

    assert.is((await runCli(["generate", "--quiet", "--target", "kubernetes"], dir)).code, 0);
    const afterKubernetes = snapshot(dir);
    for (const file of composeFiles)
      assert.equal(afterKubernetes.get(file)?.contents, afterCompose.get(file)?.contents, `${file} untouched by --target kubernetes`);
    assert.is((await runCli(["generate", "--check"], dir)).code, 0);

    const kubernetesFiles = k8sFiles(dir);
    writeFileSync(config, readFileSync(config, "utf8").replace('targets: ["compose", "kubernetes"],', 'targets: ["compose"],'));
    const run = await runCli(["generate", "--json"], dir);
    assert.is(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { removed: string[]; written: string[] };
    // With them goes the one private file only the cluster reads: the user's keys for their Secret.
    assert.equal(report.removed.sort(), [...kubernetesFiles, "secrets/user-secrets.env"].sort());
    assert.equal(k8sFiles(dir), []);
    // Only the manifest and the private files' headers (they name their readers on every target) change.
    assert.equal(
      report.written.filter((file) => !file.startsWith("secrets/")),
      [".llm/manifest.json"],
    );
    for (const file of composeFiles) assert.ok(existsSync(path.join(dir, file)), file);
  } finally {
    removeDir(dir);
  }
});

test("--target for a target the config does not declare warns that the next full run removes its files, and it does", async () => {
  const undeclared = await generated("minimal-cpu");
  const declared = await generated("all-modules");
  try {
    assert.is(undeclared.code, 0, undeclared.stderr);
    assert.match(
      undeclared.stderr,
      /--target kubernetes: kubernetes is not in the config's targets; the next `llm generate` without --target removes these files/,
    );
    assert.match(undeclared.stderr, /add "kubernetes" to targets to keep them/);
    assert.ok(existsSync(path.join(undeclared.dir, "kustomization.yaml")));
    assert.is((await runCli(["generate", "--quiet"], undeclared.dir)).code, 0);
    assert.not.ok(existsSync(path.join(undeclared.dir, "kustomization.yaml")));
    assert.not.ok(existsSync(path.join(undeclared.dir, "kubernetes")));
    assert.not.match(declared.stderr, /not in the config's targets/);
  } finally {
    removeDir(undeclared.dir);
    removeDir(declared.dir);
  }
});

test.run();
