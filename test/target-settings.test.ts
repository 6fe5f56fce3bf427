// Settings only one target reads (src/stack/target-settings.ts): chosen by the user in a config
// whose targets never read them, each is named in a warning with what stands in for it; the run
// still succeeds, and everything it writes or says is what it is without them.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { MODULES } from "../src/modules/registry.js";
import { describeStack } from "../src/pipeline.js";
import { CORE_COMPOSE_ONLY } from "../src/stack/target-settings.js";
import type { ResolveOptions } from "../src/config/resolve.js";
import { healthyCluster } from "./helpers/fake-kubectl.js";
import { fakeHost } from "./helpers/host.js";
import { listFiles, removeDir, runCli, seededRandom, tempDir } from "./helpers/workspace.js";

const test = suite("settings one target does not read are named, not silently dropped");

/** Every module on, and a value the user chose for each setting only Compose reads. */
const everyComposeOnly = {
  models: ["llama3.2:3b"],
  bindAddress: "0.0.0.0",
  ollama: { publish: true, port: 11500 },
  security: {
    enabled: true,
    domain: "chat.example.com",
    email: "ops@example.com",
    grafanaDomain: "g.example.com",
    prometheusDomain: "p.example.com",
    adminUser: "ops",
    rateLimit: { average: 10 },
    traefik: { memory: "256m" },
  },
  scaling: { enabled: true, librechatReplicas: 2, clientMaxBodySize: "64m", nginx: { memory: "128m" } },
  monitoring: { enabled: true, nodeExporter: { memory: "64m" }, cadvisor: { memory: "256m" } },
  kubernetes: { storage: { sharedClass: "nfs" } },
};

/** `data` without the value at each dotted path. */
function without(data: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(data);
  for (const dotted of paths) {
    const keys = dotted.split(".");
    let at = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
    delete at[keys[keys.length - 1]!];
  }
  return copy;
}

const EXPECTED = [
  "bindAddress",
  "monitoring.cadvisor",
  "monitoring.nodeExporter",
  "ollama.port",
  "ollama.publish",
  "scaling.clientMaxBodySize",
  "scaling.nginx",
  "security.adminUser",
  "security.grafanaDomain",
  "security.prometheusDomain",
  "security.rateLimit",
  "security.traefik",
];

function described(data: Record<string, unknown>, options: ResolveOptions = {}) {
  const result = describeStack({ file: "llm.config.json", data }, options);
  if (!result.ok) throw new Error(`${result.error.message}: ${JSON.stringify(result.error.diagnostics)}`);
  return result.value;
}

const unread = (data: Record<string, unknown>, options: ResolveOptions = {}) =>
  described(data, options).stack.warnings.filter((w) => w.message.includes("target only"));
const unreadPaths = (data: Record<string, unknown>, options: ResolveOptions = {}) =>
  unread(data, options)
    .map((w) => w.path)
    .sort();

test("a config for a cluster alone: each Compose-only setting it chooses is named, with what does its job there", () => {
  assert.equal(unreadPaths({ ...everyComposeOnly, targets: ["kubernetes"] }), EXPECTED);
  // The list is the core's and the modules' own declarations, nothing else, and the config above sets each.
  assert.equal([...CORE_COMPOSE_ONLY, ...MODULES.flatMap((m) => m.onlyOnCompose ?? [])].map((s) => s.path).sort(), EXPECTED);
  const rateLimit = unread({ ...everyComposeOnly, targets: ["kubernetes"] }).find((w) => w.path === "security.rateLimit")!;
  assert.is(rateLimit.message, "read by the compose target only, and the config targets kubernetes alone: rate limits are the ingress controller's");
  assert.match(rateLimit.hint ?? "", /kubernetes\.ingress\.annotations/);
});

test("a value given with --set counts as chosen, and says so; the defaults' values do not", () => {
  const base = {
    models: ["llama3.2:3b"],
    targets: ["kubernetes"],
    scaling: { enabled: true, librechatReplicas: 2 },
    kubernetes: { storage: { sharedClass: "nfs" } },
  };
  assert.equal(unreadPaths(base), [], "scaling.nginx and clientMaxBodySize keep their defaults");
  const [warning, ...rest] = unread(base, { overrides: { scaling: { clientMaxBodySize: "64m" } } });
  assert.equal(rest, []);
  assert.is(warning!.path, "scaling.clientMaxBodySize");
  assert.match(warning!.message, /^\(from --set\) read by the compose target only/);
});

test("no warning where a target reads them: Compose declared, or this run builds Compose", () => {
  // With Compose declared, Traefik's rule refuses ollama.publish (see below).
  const forCompose = without(everyComposeOnly, ["ollama.publish"]);
  assert.equal(unreadPaths({ ...forCompose, targets: ["compose", "kubernetes"] }), []);
  assert.equal(
    unreadPaths({ ...forCompose, targets: ["compose", "kubernetes"] }, { target: "kubernetes" }),
    [],
    "--target kubernetes: Compose is still declared",
  );
  assert.equal(unreadPaths({ ...everyComposeOnly, targets: ["kubernetes"] }, { target: "compose" }), [], "--target compose builds Compose");
});

test("a module switched off reads none of its settings on any target: nothing to say about them per target", () => {
  const off = {
    models: ["llama3.2:3b"],
    targets: ["kubernetes"],
    security: { enabled: false, rateLimit: { average: 10 } },
    scaling: { clientMaxBodySize: "64m" },
  };
  assert.equal(unreadPaths(off), []);
});

test("Traefik's rules are Compose's: a config for a cluster alone may publish Ollama's port and give a UI the chat's host, a config with Compose may not", () => {
  const traefikRules = {
    models: ["llama3.2:3b"],
    ollama: { publish: true },
    security: { enabled: true, domain: "chat.example.com", email: "ops@example.com", grafanaDomain: "chat.example.com" },
  };
  assert.equal(unreadPaths({ ...traefikRules, targets: ["kubernetes"] }), ["ollama.publish", "security.grafanaDomain"]);
  for (const options of [{}, { target: "kubernetes" as const }]) {
    const refused = describeStack({ file: "llm.config.json", data: { ...traefikRules, targets: ["compose", "kubernetes"] } }, options);
    assert.not.ok(refused.ok);
    if (refused.ok) continue;
    assert.equal(
      (refused.error.diagnostics ?? []).map((d) => d.path),
      ["security.grafanaDomain", "ollama.publish"],
      "--target kubernetes still judges the Compose target the config declares",
    );
  }
});

test("host ports that collide are refused only where Compose publishes them", () => {
  const collide = { models: ["llama3.2:3b"], ollama: { publish: true, port: 3080 } };
  assert.equal(unreadPaths({ ...collide, targets: ["kubernetes"] }), ["ollama.port", "ollama.publish"]);
  const refused = describeStack({ file: "llm.config.json", data: { ...collide, targets: ["compose", "kubernetes"] } }, { target: "kubernetes" });
  assert.not.ok(refused.ok);
  if (!refused.ok) assert.match(refused.error.diagnostics?.[0]?.message ?? "", /port 3080 is already used by librechat\.port/);
});

test("kubernetes settings in a config that never targets a cluster are named once; an empty section or --target kubernetes says nothing", () => {
  const data = { models: ["llama3.2:3b"], kubernetes: { namespace: "chat", storage: { class: "fast" } } };
  assert.equal(unreadPaths(data), ["kubernetes"]);
  assert.match(unread(data)[0]!.message, /which `targets` does not list/);
  assert.equal(unreadPaths(data, { target: "kubernetes" }), []);
  assert.equal(unreadPaths({ ...data, targets: ["compose", "kubernetes"] }), []);
  assert.equal(unreadPaths({ models: ["llama3.2:3b"], kubernetes: {} }), []);
});

test("none of them is read: the cluster's files, the next steps, the stack model and doctor's report are the same without them", async () => {
  const chosen = tempDir();
  const bare = tempDir();
  try {
    const config = { ...everyComposeOnly, targets: ["kubernetes"] };
    const stripped = without(config, EXPECTED);
    writeFileSync(path.join(chosen, "llm.config.json"), JSON.stringify(config));
    writeFileSync(path.join(bare, "llm.config.json"), JSON.stringify(stripped));
    const run = await runCli(["generate"], chosen, { random: seededRandom("t") });
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: llm\.config\.json: security\.rateLimit: read by the compose target only, and the config targets kubernetes alone/);
    assert.is(run.stderr.match(/read by the compose target only/g)?.length, EXPECTED.length);
    const plain = await runCli(["generate"], bare, { random: seededRandom("t") });
    assert.is(plain.code, 0, plain.stderr);
    assert.not.match(plain.stderr, /target only/);
    assert.is(run.stdout, plain.stdout, "the same next steps");
    const committed = (dir: string) =>
      Object.fromEntries(
        listFiles(dir)
          .filter((file) => file.startsWith("kubernetes/") || file === "kustomization.yaml")
          .map((file) => [file, readFileSync(path.join(dir, file), "utf8")]),
      );
    assert.ok(Object.keys(committed(chosen)).length > 10);
    assert.equal(committed(chosen), committed(bare));
    // What doctor, `llm models` and the next steps read: the stack as built, warnings aside.
    const model = (data: Record<string, unknown>) => JSON.stringify(described(data).stacks.map((stack) => ({ ...stack, warnings: [] })));
    assert.is(model(config), model(stripped));
    // Doctor asks a cluster that answers every check it makes, so the whole report is compared.
    const doctor = async (dir: string) => (await runCli(["doctor", "--json"], dir, { io: { host: fakeHost({ commands: healthyCluster() }) } })).stdout;
    const report = await doctor(chosen);
    for (const id of ["cluster", "storage-class", "shared-storage-class", "ingress-class", "cert-manager"])
      assert.ok(report.includes(`"id": "${id}"`), `${id} in ${report}`);
    assert.is(report, await doctor(bare));
  } finally {
    removeDir(chosen);
    removeDir(bare);
  }
});

test.run();
