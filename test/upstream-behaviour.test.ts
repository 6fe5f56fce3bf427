// The generated stack does what the pinned images do, as read from their upstream source
// (docs/upstream-facts.md names the file behind each fact; this suite guards it).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { generate } from "../src/index.js";
import { imageCatalog } from "../src/generated/catalog.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { LIBRECHAT_SCHEMA_PACKAGES } from "./helpers/validators.js";
import { copyExample, removeDir, runCli, snapshot, workspaceWith } from "./helpers/workspace.js";

const test = suite("upstream behaviour: pins, versions and what the images really do");

type Service = Record<string, any>;
function built(config: unknown) {
  const result = generate(config);
  if (!result.ok) throw new Error(result.error.diagnostics.map((d) => `${d.path}: ${d.message}`).join("; "));
  const files = Object.fromEntries(result.value.files.map((f) => [f.path, f.contents]));
  return { files, stack: result.value.stack, services: (parse(files["docker-compose.yml"]!) as { services: Record<string, Service> }).services };
}
const examples = readdirSync(EXAMPLES).sort();
const composeOf = (dir: string) => (parse(readFileSync(path.join(dir, "docker-compose.yml"), "utf8")) as { services: Record<string, Service> }).services;

test("every pin carries its upstream source and the date it was verified", () => {
  assert.ok(imageCatalog.images.length >= 12);
  for (const entry of imageCatalog.images) {
    const { repo, tag, commit, released, publishedBy } = entry.upstream;
    assert.match(repo, /^[\w.-]+\/[\w.-]+$/, `${entry.id}: upstream repo`);
    assert.ok(tag.length > 0 && publishedBy.length > 0, `${entry.id}: tag and release workflow`);
    assert.match(commit, entry.confidence === "partial" ? /^[0-9a-f]{8,40}$/ : /^[0-9a-f]{40}$/, `${entry.id}: commit`);
    assert.match(released, /^\d{4}-\d{2}(-\d{2})?$/, `${entry.id}: release date`);
    assert.match(entry.verified, /^\d{4}-\d{2}-\d{2}$/, `${entry.id}: verified date`);
    if (entry.confidence === "partial") assert.ok((entry.note ?? "").length > 40, `${entry.id}: a partial verification says what was read`);
    // An exact release: never latest, never a floating major or minor such as mongo:8.0 (a suffix
    // may name the base: -alpine, -rocm, pgvector's -pg15-trixie).
    assert.match(entry.image, /:v?\d+\.\d+\.\d+(-[a-z0-9]+)*$/, `${entry.id}: ${entry.image} is an exact version`);
    const version = /:v?(\d+\.\d+\.\d+)/.exec(entry.image)![1]!;
    assert.ok(tag.includes(version), `${entry.id}: the image's version ${version} is the upstream tag ${tag}`);
    for (const advisory of entry.advisories) {
      // A vendor advisory published without a CVE or GHSA id keeps a name of ours, and says where it was read.
      if (!/^(CVE|GHSA)-/.test(advisory.id)) assert.match(advisory.source ?? "", /^https:\/\//, `${entry.id}: ${advisory.id} names its source`);
      assert.match(advisory.id, /^(CVE|GHSA)-\d{4}-|^[A-Z]+-\d{4}-\d{2}-[A-Z]+$/, `${entry.id}: advisory id`);
    }
  }
});

test("every image every example runs comes from the catalog", () => {
  const pinned = new Set(imageCatalog.images.map((e) => e.image));
  for (const example of examples) {
    for (const [name, service] of Object.entries(composeOf(path.join(EXAMPLES, example))))
      assert.ok(pinned.has(service.image), `${example}: ${name} runs ${service.image}`);
  }
});

test("librechat.yaml is judged by LibreChat's schema from both sides of the pinned release", () => {
  const require = createRequire(import.meta.url);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  const versions = LIBRECHAT_SCHEMA_PACKAGES.map((name) => {
    assert.match(pkg.devDependencies[name] ?? "", /^npm:librechat-data-provider@\d+\.\d+\.\d+$/, `${name} is pinned exactly`);
    return (require(name) as { Constants: { CONFIG_VERSION: string } }).Constants.CONFIG_VERSION;
  });
  // v0.8.7's CONFIG_VERSION is 1.3.13: one package predates it, the other follows it.
  const pinned = built({}).stack.librechat.configVersion;
  assert.is(pinned, "1.3.13");
  const order = (v: string) =>
    v
      .split(".")
      .map(Number)
      .reduce((a, n) => a * 1000 + n, 0);
  assert.ok(order(versions[0]!) < order(pinned) && order(pinned) < order(versions[1]!), `${versions.join(" < ")} bracket ${pinned}`);
});

test("LibreChat's /metrics is scraped only from v0.8.6, where it exists; the panel and the secret follow", () => {
  const config = (image: string) => ({ monitoring: { enabled: true }, librechat: { image } });
  const without = built(config("ghcr.io/danny-avila/librechat:v0.8.5"));
  const jobs = (files: Record<string, string>) =>
    (parse(files["prometheus/prometheus.yml"]!) as { scrape_configs: { job_name: string }[] }).scrape_configs.map((j) => j.job_name);
  assert.not.ok(jobs(without.files).includes("librechat"), "no job for a version without the route");
  assert.not.ok(without.stack.secrets.some((s) => s.name === "METRICS_SECRET"));
  assert.not.ok(without.files["grafana/dashboards/llm-stack.json"]!.includes('job=\\"librechat\\"'));
  assert.ok(without.stack.warnings.some((w) => w.path === "librechat.image" && w.message.includes("has no /metrics")));
  for (const image of ["ghcr.io/danny-avila/librechat:v0.8.6", "ghcr.io/danny-avila/librechat:v0.8.7"]) {
    const withMetrics = built(config(image));
    assert.ok(jobs(withMetrics.files).includes("librechat"), image);
    assert.equal(withMetrics.stack.secrets.find((s) => s.name === "METRICS_SECRET")?.readers, ["librechat", "prometheus"]);
    assert.ok(withMetrics.files["grafana/dashboards/llm-stack.json"]!.includes('up{job=\\"librechat\\"}'));
  }
});

test("LibreChat's log folder, /app/skill and librechat.yaml's version follow the release", () => {
  const librechat = (image: string) => built({ librechat: { image } });
  const v080 = librechat("ghcr.io/danny-avila/librechat:v0.8.0");
  assert.ok(v080.services["librechat"]!.volumes.includes("librechat-logs:/app/api/logs"));
  assert.not.ok(v080.services["librechat"]!.volumes.some((v: string) => v.endsWith(":/app/skill")));
  assert.is((parse(v080.files["librechat.yaml"]!) as { version: string }).version, "1.3.0");
  const v087 = librechat("ghcr.io/danny-avila/librechat:v0.8.7");
  assert.ok(v087.services["librechat"]!.volumes.includes("librechat-logs:/app/logs"));
  assert.ok(v087.services["librechat"]!.volumes.includes("librechat-skill:/app/skill"));
  const unknown = librechat("ghcr.io/danny-avila/librechat:main");
  assert.ok(
    unknown.stack.warnings.some((w) => w.path === "librechat.image" && w.message.includes("names no version")),
    "a tag without a version is not assumed silently",
  );
});

test("the compose file says which Docker Engine and Compose it needs", () => {
  for (const example of examples) {
    const text = readFileSync(path.join(EXAMPLES, example, "docker-compose.yml"), "utf8");
    if (text.includes("start_interval:")) assert.match(text, /^# .*Needs Docker Engine 25\+ and Compose 2\.24\+ \(healthchecks'$/m, example);
  }
});

test("node-exporter runs as its README says (host PIDs, / with rslave), without network collectors", () => {
  const exporter = built({ monitoring: { enabled: true } }).services["node-exporter"]!;
  assert.is(exporter.pid, "host");
  assert.equal(exporter.volumes, ["/:/host:ro,rslave"]);
  assert.is(exporter.command[0], "--path.rootfs=/host");
  for (const collector of ["netdev", "netstat", "sockstat", "arp"]) assert.ok(exporter.command.includes(`--no-collector.${collector}`), collector);
  assert.is(exporter.network_mode, undefined, "not on the host's network: its port stays off the LAN");
});

test("embedding models are pulled but not offered for chat; a model may declare its kind", () => {
  const dir = path.join(EXAMPLES, "nvidia-workstation");
  assert.ok(composeOf(dir)["ollama-pull"]!.command.includes("nomic-embed-text"));
  const offered = (parse(readFileSync(path.join(dir, "librechat.yaml"), "utf8")) as any).endpoints.custom[0].models.default as string[];
  assert.not.ok(offered.includes("nomic-embed-text"));
  assert.ok(offered.length > 0);
  const declared = built({ models: ["llama3.2:3b", { name: "my-embedder:1", kind: "embedding" }, { name: "nomic-embed-text:v1.5", kind: "chat" }] });
  assert.equal(declared.stack.models, ["llama3.2:3b", "my-embedder:1", "nomic-embed-text:v1.5"]);
  assert.equal(declared.stack.chatModels, ["llama3.2:3b", "nomic-embed-text:v1.5"], "an explicit kind wins over the list");
});

test("plain HTTP to other machines is warned about, and the next steps say to put TLS in front", async () => {
  const dir = workspaceWith("llm.config.json", JSON.stringify({ bindAddress: "0.0.0.0" }));
  try {
    const validate = await runCli(["validate"], dir);
    assert.is(validate.code, 0);
    assert.match(validate.stderr, "warning: llm.config.json: bindAddress: LibreChat is served to other machines over plain HTTP");
    assert.match(validate.stdout, "is valid with 1 warning");
    const generated = await runCli(["generate"], dir);
    assert.match(generated.stdout, "put TLS in front");
    const loopback = await runCli(["validate"], workspaceWith("llm.config.json", "{}"));
    assert.is(loopback.stderr, "");
  } finally {
    removeDir(dir);
  }
});

test("every command the next steps print names a service the compose file has", async () => {
  for (const example of examples) {
    const dir = copyExample(path.join(EXAMPLES, example));
    try {
      const run = await runCli(["generate"], dir);
      assert.is(run.code, 0, run.stderr);
      const services = new Set(Object.keys(composeOf(dir)));
      const named = [...run.stdout.matchAll(/docker compose (?:exec|logs -f|ps|restart) ([a-z0-9-]+)/g)].map((m) => m[1]!);
      assert.ok(named.length > 0, `${example}: the next steps name a service`);
      for (const name of named) assert.ok(services.has(name), `${example}: ${name} is a service`);
    } finally {
      removeDir(dir);
    }
  }
});

test("a quantized KV cache with flash attention off is refused, naming both keys", async () => {
  const dir = workspaceWith("llm.config.json", JSON.stringify({ ollama: { kvCacheType: "q8_0", flashAttention: false } }));
  try {
    const run = await runCli(["validate"], dir);
    assert.is(run.code, 2);
    assert.match(run.stderr, 'llm.config.json: ollama.flashAttention: ollama.kvCacheType "q8_0" needs flash attention, but ollama.flashAttention is false');
    assert.match(run.stderr, 'fix: set ollama.flashAttention to true or "auto", or ollama.kvCacheType to "f16"');
    // "auto" (the default) lets Ollama turn it on.
    assert.is((await runCli(["validate"], workspaceWith("llm.config.json", JSON.stringify({ ollama: { kvCacheType: "q8_0" } })))).code, 0);
  } finally {
    removeDir(dir);
  }
});

/** A folder with a config and data folders as an earlier llm or another version left them. */
function folderWith(config: unknown, dataFolders: string[], compose?: string): string {
  const dir = workspaceWith("llm.config.json", JSON.stringify(config));
  for (const folder of dataFolders) {
    mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(path.join(dir, folder, "WiredTiger"), "data");
  }
  if (compose) writeFileSync(path.join(dir, "docker-compose.yml"), compose);
  return dir;
}

test("MongoDB data of an earlier llm (unversioned, no authentication) is never hidden behind an empty database", async () => {
  const legacy = "services:\n  mongodb:\n    image: mongo:8.0\n";
  const dir = folderWith({}, ["data/mongodb"], legacy);
  try {
    const before = snapshot(dir);
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 2);
    assert.match(run.stderr, "error DATA_MIGRATION_REQUIRED");
    assert.match(run.stderr, "data/mongodb holds the MongoDB data an earlier llm set up (mongo:8.0, without authentication)");
    assert.match(run.stderr, 'set mongodb: { dataDir: "./data/mongodb", auth: false }');
    assert.equal(snapshot(dir), before, "nothing written");
    assert.is((await runCli(["validate"], dir)).code, 2, "validate makes the same check");
    // Keeping it as it is: the folder and --noauth, with a warning on every run.
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ mongodb: { dataDir: "./data/mongodb", auth: false } }));
    const kept = await runCli(["generate", "--force"], dir);
    assert.is(kept.code, 0, kept.stderr);
    assert.match(kept.stderr, "warning: llm.config.json: mongodb.auth: MongoDB runs without authentication");
    const mongo = composeOf(dir)["mongodb"]!;
    assert.equal(mongo.volumes, ["./data/mongodb:/data/db"]);
    assert.ok(mongo.command.includes("--noauth"));
    assert.is(mongo.env_file, undefined);
    assert.match(readFileSync(path.join(dir, ".env"), "utf8"), /\nMONGO_URI=mongodb:\/\/mongodb:27017\/LibreChat\n/);
  } finally {
    removeDir(dir);
  }
});

test("switching MongoDB's version beside the other version's data is refused; Meilisearch's new index is a warning", async () => {
  const dir = folderWith({ mongodb: { avx: false } }, ["data/mongodb-8.0", "data/meilisearch"]);
  try {
    const before = snapshot(dir);
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 2);
    assert.match(run.stderr, "data/mongodb-8.0 holds MongoDB data of another version, but mongo:4.4.30 would start an empty database in data/mongodb-4.4");
    assert.equal(snapshot(dir), before);
    writeFileSync(path.join(dir, "llm.config.json"), "{}");
    const ok = await runCli(["generate"], dir);
    assert.is(ok.code, 0, ok.stderr);
    assert.match(
      ok.stderr,
      "data/meilisearch holds the search index of another Meilisearch version; getmeili/meilisearch:v1.35.1 starts an empty index in data/meilisearch-v1.35.1",
    );
    assert.match(ok.stderr, "npm run reset-meili-sync");
  } finally {
    removeDir(dir);
  }
});

test.run();
