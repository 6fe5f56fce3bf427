// Settings only one target reads (src/stack/target-settings.ts): chosen by the user in a config
// whose targets never read them, each is named in a warning with what stands in for it; the run
// still succeeds and writes the same files.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadConfig } from "../src/config/load.js";
import { MODULES } from "../src/modules/registry.js";
import { describeStack } from "../src/pipeline.js";
import { CORE_COMPOSE_ONLY } from "../src/stack/target-settings.js";
import { EXAMPLES } from "./helpers/paths.js";
import { listFiles, removeDir, runCli, seededRandom, tempDir } from "./helpers/workspace.js";

const test = suite("settings one target does not read are named, not silently dropped");

/** Modules on, and a value the user chose for every setting only Compose reads. */
const everyComposeOnly = {
  models: ["llama3.2:3b"],
  bindAddress: "0.0.0.0",
  ollama: { port: 11500 },
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

const warningPaths = (data: Record<string, unknown>, target?: "compose" | "kubernetes"): string[] => {
  const described = describeStack({ file: "llm.config.json", data }, target ? { target } : {});
  if (!described.ok) throw new Error(described.error.message);
  return described.value.stack.warnings
    .filter((w) => w.message.includes("target only"))
    .map((w) => w.path)
    .sort();
};

test("a config for a cluster alone: each Compose-only setting it chooses is named, with what does its job there", () => {
  const expected = [
    "bindAddress",
    "monitoring.cadvisor",
    "monitoring.nodeExporter",
    "ollama.port",
    "scaling.clientMaxBodySize",
    "scaling.nginx",
    "security.adminUser",
    "security.grafanaDomain",
    "security.prometheusDomain",
    "security.rateLimit",
    "security.traefik",
  ];
  assert.equal(warningPaths({ ...everyComposeOnly, targets: ["kubernetes"] }), expected);
  // The list is the core's and the modules' own declarations, nothing else.
  const declared = [...CORE_COMPOSE_ONLY, ...MODULES.flatMap((m) => m.onlyOnCompose ?? [])].map((s) => s.path);
  assert.equal(
    declared.filter((p) => p !== "ollama.publish").sort(),
    expected,
    "every declared setting is covered by the config above (ollama.publish is refused with security on)",
  );
  const described = describeStack({ file: "llm.config.json", data: { ...everyComposeOnly, targets: ["kubernetes"] } });
  assert.ok(described.ok);
  const rateLimit = described.value.stack.warnings.find((w) => w.path === "security.rateLimit")!;
  assert.match(rateLimit.message, /rate limits are the ingress controller's/);
  assert.match(rateLimit.hint ?? "", /kubernetes\.ingress\.annotations/);
});

test("ollama.publish on a cluster alone is named too", () => {
  assert.equal(warningPaths({ models: ["llama3.2:3b"], targets: ["kubernetes"], ollama: { publish: true } }), ["ollama.publish"]);
});

test("no warning where a target reads them: Compose declared, or this run builds Compose", () => {
  assert.equal(warningPaths({ ...everyComposeOnly, targets: ["compose", "kubernetes"] }), []);
  assert.equal(warningPaths({ ...everyComposeOnly, targets: ["compose", "kubernetes"] }, "kubernetes"), [], "--target kubernetes: Compose is still declared");
  assert.equal(warningPaths({ ...everyComposeOnly, targets: ["kubernetes"] }, "compose"), [], "--target compose builds Compose");
});

test("a module switched off reads none of its settings on any target: nothing to say about them per target", () => {
  const off = {
    models: ["llama3.2:3b"],
    targets: ["kubernetes"],
    security: { enabled: false, rateLimit: { average: 10 } },
    scaling: { clientMaxBodySize: "64m" },
  };
  assert.equal(warningPaths(off), []);
});

test("what the defaults and presets set is not the user's choice: a bare config for a cluster has no such warning", () => {
  assert.equal(warningPaths({ models: ["llama3.2:3b"], targets: ["kubernetes"], presets: ["nvidia"], ollama: { gpu: { count: 1 } } }), []);
  assert.equal(warningPaths({ models: ["llama3.2:3b"], targets: ["kubernetes"], presets: ["low-ram"] }), []);
});

test("kubernetes settings in a config that never targets a cluster are named once; --target kubernetes reads them", () => {
  const data = { models: ["llama3.2:3b"], kubernetes: { namespace: "chat", storage: { class: "fast" } } };
  assert.equal(warningPaths(data), ["kubernetes"]);
  assert.equal(warningPaths(data, "kubernetes"), []);
  assert.equal(warningPaths({ ...data, targets: ["compose", "kubernetes"] }), []);
});

test("every example says nothing of the kind: each sets only what its targets read", async () => {
  for (const example of readdirSync(EXAMPLES)) {
    const loaded = await loadConfig(path.join(EXAMPLES, example));
    if (!loaded.ok) throw new Error(`${example}: ${loaded.error.message}`);
    const described = describeStack(loaded.value);
    assert.ok(described.ok, example);
    assert.equal(
      described.value.stack.warnings.filter((w) => w.message.includes("target only")),
      [],
      example,
    );
  }
});

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

test("llm generate warns, exit 0, and writes byte for byte what it writes without those settings: none of them is read", async () => {
  const chosen = tempDir();
  const bare = tempDir();
  try {
    const config = { ...everyComposeOnly, targets: ["kubernetes"] };
    const paths = warningPaths(config);
    writeFileSync(path.join(chosen, "llm.config.json"), JSON.stringify(config));
    writeFileSync(path.join(bare, "llm.config.json"), JSON.stringify(without(config, paths)));
    const run = await runCli(["generate"], chosen, { random: seededRandom("t") });
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: llm\.config\.json: bindAddress: read by the compose target only, and the config targets kubernetes alone/);
    assert.is(run.stderr.match(/read by the compose target only/g)?.length, paths.length);
    const plain = await runCli(["generate"], bare, { random: seededRandom("t") });
    assert.is(plain.code, 0, plain.stderr);
    assert.not.match(plain.stderr, /target only/);
    const committed = (dir: string) =>
      Object.fromEntries(
        listFiles(dir)
          .filter((file) => file.startsWith("kubernetes/") || file === "kustomization.yaml")
          .map((file) => [file, readFileSync(path.join(dir, file), "utf8")]),
      );
    assert.ok(Object.keys(committed(chosen)).length > 10);
    assert.equal(committed(chosen), committed(bare));
  } finally {
    removeDir(chosen);
    removeDir(bare);
  }
});

test.run();
