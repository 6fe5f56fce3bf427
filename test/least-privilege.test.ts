// Each container receives only the secrets its image reads, no service is made to run as root,
// and the databases need credentials: checked on the files `llm generate` writes for every example
// (the compose file's env_file and bind mounts, the private files' bytes, secrets.env's values).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import bcryptjs from "bcryptjs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { parseSecrets } from "../src/secrets/store.js";
import { EXAMPLES } from "./helpers/paths.js";
import { copyExample, removeDir, runCli, seededRandom } from "./helpers/workspace.js";

const test = suite("least privilege: each service gets only its image's secrets, none is made root");

interface ComposeService {
  image: string;
  user?: string;
  env_file?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  command?: string[];
}

/** What each image reads, from its source at the pinned tag (docs/upstream-facts.md): LibreChat
 * its four keys always and the others when their feature is on; each other image only its own. */
function expectedSecrets(service: string, compose: Record<string, ComposeService>, names: Set<string>): string[] {
  const has = (name: string) => compose[name] !== undefined;
  if (service.startsWith("librechat")) {
    return [
      "CREDS_IV",
      "CREDS_KEY",
      "JWT_REFRESH_SECRET",
      "JWT_SECRET",
      ...(has("meilisearch") ? ["MEILI_MASTER_KEY"] : []),
      ...(names.has("METRICS_SECRET") ? ["METRICS_SECRET"] : []),
      "MONGO_PASSWORD",
      ...(has("redis") ? ["REDIS_PASSWORD"] : []),
    ];
  }
  const own: Record<string, string[]> = {
    meilisearch: ["MEILI_MASTER_KEY"],
    mongodb: ["MONGO_PASSWORD"],
    redis: ["REDIS_PASSWORD"],
    prometheus: names.has("METRICS_SECRET") ? ["METRICS_SECRET"] : [],
    grafana: ["GRAFANA_ADMIN_PASSWORD"],
    traefik: names.has("TRAEFIK_BASIC_AUTH_PASSWORD") ? ["TRAEFIK_BASIC_AUTH_PASSWORD"] : [],
  };
  return own[service] ?? [];
}

/** The secret names whose values a service can read: through its env files and the files it mounts. */
function receivedSecrets(dir: string, service: ComposeService, values: Map<string, string>): string[] {
  const texts: string[] = [];
  for (const file of service.env_file ?? []) texts.push(readFileSync(path.join(dir, file), "utf8"));
  for (const volume of service.volumes ?? []) {
    const source = volume.split(":")[0]!;
    if (source.startsWith("./secrets/")) texts.push(readFileSync(path.join(dir, source), "utf8"));
  }
  for (const value of Object.values(service.environment ?? {})) texts.push(value);
  texts.push((service.command ?? []).join(" "));
  const all = texts.join("\n");
  // An htpasswd line carries its password as a bcrypt hash.
  const hashes = [...all.matchAll(/^[^:\s]+:(\$2[aby]\$\d\d\$[./A-Za-z0-9]{53})$/gm)].map((m) => m[1]!.replace(/^\$2y\$/, "$2b$"));
  return [...values]
    .filter(([, value]) => all.includes(value) || hashes.some((hash) => bcryptjs.compareSync(value, hash)))
    .map(([name]) => name)
    .sort();
}

const examples = readdirSync(EXAMPLES).sort();

for (const example of examples) {
  test(`${example}: every service reads exactly the secrets its image reads; nobody is forced to root`, async () => {
    const dir = copyExample(path.join(EXAMPLES, example));
    try {
      const run = await runCli(["generate", "--quiet"], dir, { random: seededRandom(example) });
      assert.is(run.code, 0, run.stderr);
      const values = new Map([...parseSecrets(readFileSync(path.join(dir, "secrets.env"), "utf8"))].map(([name, entry]) => [name, entry.value]));
      const compose = (parse(readFileSync(path.join(dir, "docker-compose.yml"), "utf8")) as { services: Record<string, ComposeService> }).services;
      const names = new Set(values.keys());
      for (const [name, service] of Object.entries(compose)) {
        assert.equal(receivedSecrets(dir, service, values), expectedSecrets(name, compose, names).sort(), `${name} receives only what its image reads`);
        assert.ok(!(service.env_file ?? []).includes("secrets.env"), `${name} does not get all of secrets.env`);
        assert.is(service.user, undefined, `${name} runs as its image's own user`);
      }
      // The databases require credentials.
      assert.not.ok((compose["mongodb"]!.command ?? []).includes("--noauth"), "MongoDB runs with authentication");
      assert.is(compose["mongodb"]!.environment?.["MONGO_INITDB_ROOT_USERNAME"], "librechat");
      if (compose["redis"]) assert.match(readFileSync(path.join(dir, "secrets", "redis.conf"), "utf8"), /^requirepass [A-Za-z0-9]{32}\n$/);
    } finally {
      removeDir(dir);
    }
  });
}

test("the check is not blind: the whole secrets.env in one service is caught", async () => {
  const dir = copyExample(path.join(EXAMPLES, "minimal-cpu"));
  try {
    await runCli(["generate", "--quiet"], dir, { random: seededRandom("blind") });
    const values = new Map([...parseSecrets(readFileSync(path.join(dir, "secrets.env"), "utf8"))].map(([name, entry]) => [name, entry.value]));
    // What the file gave every service before: all of secrets.env.
    const meilisearch = { image: "getmeili/meilisearch", env_file: ["secrets.env"] };
    assert.equal(receivedSecrets(dir, meilisearch, values), [...values.keys()].sort());
    assert.is.not(receivedSecrets(dir, meilisearch, values).length, expectedSecrets("meilisearch", {}, new Set(values.keys())).length);
  } finally {
    removeDir(dir);
  }
});

test.run();
