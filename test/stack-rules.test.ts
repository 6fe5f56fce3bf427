// The rules the generated stack must follow, checked on the parsed compose file for every preset
// combination (DESIGN.md §3).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { generate } from "../src/index.js";
import { mergeLayers } from "../src/config/merge.js";
import { presetNames, rawPresetData } from "../src/config/presets.js";
import { checkLayer } from "../src/config/validate.js";
import { catalogImage } from "../src/stack/images.js";
import { assertDeterministicFiles } from "./helpers/determinism.js";

type ComposeService = Record<string, any>;
const test = suite("stack rules on the parsed compose file");

function composeOf(config: unknown): { services: Record<string, ComposeService>; text: Record<string, string> } {
  const result = generate(config);
  if (!result.ok) throw new Error(result.error.diagnostics.map((d) => d.message).join("; "));
  const text = Object.fromEntries(result.value.files.map((f) => [f.path, f.contents]));
  return { services: (parse(text["docker-compose.yml"]!) as { services: Record<string, ComposeService> }).services, text };
}

const combos: string[][] = [
  [],
  ["cpu"],
  ["nvidia"],
  ["amd"],
  ["low-ram"],
  ["cpu", "low-ram"],
  ["nvidia", "low-ram"],
  ["amd", "low-ram"],
  ["low-ram", "nvidia"],
];

test("every preset file passes the config schema", () => {
  for (const name of [...presetNames(), "defaults"]) assert.equal(checkLayer(rawPresetData(name), `presets/${name}.json`), [], name);
});

for (const presets of combos) {
  const label = presets.join("+") || "defaults only";
  test(`${label}: healthchecks, service_healthy, pinned images, private ports`, () => {
    const { services } = composeOf({ presets, models: ["llama3.2:3b"] });
    for (const [name, service] of Object.entries(services)) {
      assert.not.match(service.image, /:latest$|^[^:]+$/, `${name} image pinned`);
      if (service.restart !== "no") assert.ok(service.healthcheck?.test?.length > 0, `${name} has a healthcheck`);
      for (const dep of Object.values(service.depends_on ?? {}) as { condition: string }[]) assert.is(dep.condition, "service_healthy");
      for (const port of service.ports ?? []) assert.match(port, /^127\.0\.0\.1:/, `${name} publishes on loopback`);
      assert.ok(service.deploy?.resources?.limits?.memory, `${name} has a memory limit`);
    }
    assert.is(services["mongodb"]!.ports, undefined);
    assert.is(services["meilisearch"]!.ports, undefined);
    assert.ok(services["librechat"]!.volumes.includes("./librechat.yaml:/app/librechat.yaml:ro"));
    assert.equal(services["ollama"]!.healthcheck.test, ["CMD", "ollama", "list"]);
  });
}

test("nvidia reserves GPUs with the nvidia driver; cpu and amd carry no reservation", () => {
  assert.equal(composeOf({ presets: ["nvidia"] }).services["ollama"]!.deploy.resources.reservations, {
    devices: [{ driver: "nvidia", count: "all", capabilities: ["gpu"] }],
  });
  assert.equal(composeOf({ presets: ["nvidia"], ollama: { gpu: { count: null, deviceIds: ["0", "1"] } } }).services["ollama"]!.deploy.resources.reservations, {
    devices: [{ driver: "nvidia", device_ids: ["0", "1"], capabilities: ["gpu"] }],
  });
  for (const presets of [["cpu"], ["amd"], ["nvidia", "cpu"].slice(1)])
    assert.is(composeOf({ presets }).services["ollama"]!.deploy.resources.reservations, undefined);
});

test("amd uses the rocm image with /dev/kfd and /dev/dri", () => {
  const ollama = composeOf({ presets: ["amd"] }).services["ollama"]!;
  assert.match(ollama.image, /^ollama\/ollama:[0-9.]+-rocm$/);
  assert.equal(ollama.devices, ["/dev/dri:/dev/dri", "/dev/kfd:/dev/kfd"]);
  assert.is(ollama.image, `${composeOf({}).services["ollama"]!.image}-rocm`, "rocm image tracks the default version");
});

test("low-ram tunes Ollama and lowers every limit", () => {
  const { services } = composeOf({ presets: ["low-ram"] });
  const env = services["ollama"]!.environment;
  assert.equal(
    {
      p: env.OLLAMA_NUM_PARALLEL,
      m: env.OLLAMA_MAX_LOADED_MODELS,
      k: env.OLLAMA_KEEP_ALIVE,
      c: env.OLLAMA_CONTEXT_LENGTH,
      kv: env.OLLAMA_KV_CACHE_TYPE,
      fa: env.OLLAMA_FLASH_ATTENTION,
    },
    { p: "1", m: "1", k: "2m", c: "2048", kv: "q8_0", fa: "1" },
  );
  const normal = composeOf({}).services;
  const bytes = (s: string) => Number(s.slice(0, -1)) * { k: 1, m: 1024, g: 1024 ** 2 }[s.slice(-1) as "k"];
  for (const name of ["ollama", "librechat", "mongodb", "meilisearch"]) {
    assert.ok(bytes(services[name]!.deploy.resources.limits.memory) < bytes(normal[name]!.deploy.resources.limits.memory), name);
  }
  assert.ok(services["mongodb"]!.command.includes("--wiredTigerCacheSizeGB"));
});

test("a CPU without AVX gets the catalog's 4.4 image, its legacy shell and its own data folder", () => {
  const mongo = composeOf({ mongodb: { avx: false } }).services["mongodb"]!;
  assert.is(mongo.image, "mongo:4.4.30");
  assert.is(mongo.image, catalogImage("mongodb-no-avx").image);
  assert.is(mongo.healthcheck.test[1], "mongo");
  assert.equal(mongo.volumes, ["./data/mongodb-4.4:/data/db"]);
  const current = composeOf({}).services["mongodb"]!;
  assert.is(current.healthcheck.test[1], "mongosh");
  assert.equal(current.volumes, ["./data/mongodb-8.0:/data/db"]);
});

test("models are pulled by a one-shot service after Ollama is healthy, names passed as arguments", () => {
  const pull = composeOf({ models: ["llama3.2:3b", "hf.co/org/model:Q4_K_M"] }).services["ollama-pull"]!;
  assert.equal(pull.command, ["llama3.2:3b", "hf.co/org/model:Q4_K_M"]);
  assert.equal(pull.depends_on, { ollama: { condition: "service_healthy" } });
  assert.is(pull.restart, "no");
  assert.ok(pull.entrypoint[2].includes('"$$@"'), "compose-escaped $@");
});

test("librechat.yaml wires the Ollama endpoint as LibreChat needs it", () => {
  const doc = parse(composeOf({ models: ["a:1", "b"] }).text["librechat.yaml"]!) as any;
  const ollama = doc.endpoints.custom[0];
  // CONFIG_VERSION of the pinned v0.8.7 (packages/data-provider/src/config.ts).
  assert.is(doc.version, "1.3.13");
  assert.equal(
    { name: ollama.name, baseURL: ollama.baseURL, fetch: ollama.models.fetch, def: ollama.models.default, title: ollama.titleModel, key: typeof ollama.apiKey },
    { name: "Ollama", baseURL: "http://ollama:11434/v1", fetch: true, def: ["a:1", "b"], title: "current_model", key: "string" },
  );
});

test("the Meilisearch key reaches LibreChat and Meilisearch, each through its own env file", () => {
  const { services } = composeOf({});
  assert.equal(services["librechat"]!.env_file, [".env", "secrets/librechat.env"]);
  assert.equal(services["meilisearch"]!.env_file, ["secrets/meilisearch.env"]);
  const result = generate({});
  if (!result.ok) throw new Error("generate failed");
  const readers = Object.fromEntries(result.value.stack.secrets.map((s) => [s.name, s.readers]));
  assert.equal(readers["MEILI_MASTER_KEY"], ["librechat", "meilisearch"]);
  assert.equal(readers["MONGO_PASSWORD"], ["librechat", "mongodb"]);
});

test("search off drops Meilisearch and the dependency on it", () => {
  const { services, text } = composeOf({ librechat: { search: false } });
  assert.is(services["meilisearch"], undefined);
  assert.is(services["librechat"]!.depends_on.meilisearch, undefined);
  assert.ok(text[".env"]!.includes("\nSEARCH=false\n"));
});

test("merge rules: maps merge, lists and scalars replace, null deletes, provenance kept", () => {
  const merged = mergeLayers([
    { source: "defaults", file: "d", values: { a: { b: 1, c: [1, 2], d: "x" }, e: true } },
    { source: "preset p", file: "p", values: { a: { c: [3], d: null }, f: 2 } },
    { source: "user", file: "u", values: { a: { b: 5 } } },
  ]);
  assert.equal(merged.value, { a: { b: 5, c: [3] }, e: true, f: 2 });
  assert.equal(Object.fromEntries([...merged.provenance].map(([k, v]) => [k, v.source])), { "a.b": "user", "a.c": "preset p", e: "defaults", f: "preset p" });
});

test("the same config gives the same bytes, with no absolute paths or host names", () => {
  for (const file of assertDeterministicFiles({ presets: ["nvidia", "low-ram"], models: ["llama3.2:3b"] })) {
    // The user's files with a managed block start with the user's lines.
    if (file.path !== ".gitignore" && file.path !== ".gitattributes")
      assert.match(file.contents, /^# Generated by local-llm-stack from llm\.config\.ts\. Do not edit/);
  }
});

test("sign-ups are open by default only where nobody else can reach the stack", () => {
  const allowed = (config: unknown) => /\nALLOW_REGISTRATION=(\w+)\n/.exec(composeOf(config).text[".env"]!)?.[1];
  assert.is(allowed({}), "true");
  assert.is(allowed({ bindAddress: "0.0.0.0" }), "false");
  assert.is(allowed({ security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" } }), "false");
  assert.is(allowed({ security: { enabled: true, domain: "localhost", certificates: "self-signed" } }), "true");
  assert.is(allowed({ bindAddress: "0.0.0.0", librechat: { registration: true } }), "true", "an explicit choice wins");
  assert.is(allowed({ librechat: { registration: false } }), "false");
});

test.run();
