// Rules every combination of the optional modules must keep, checked on the parsed output.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { generate } from "../src/index.js";
import { stackEndpoint } from "../src/models/target.js";
import { assertDeterministicFiles } from "./helpers/determinism.js";
import { COMBINATIONS, configFor, label } from "./helpers/modules.js";

type ComposeService = Record<string, any>;
const test = suite(`optional modules: published ports and wiring in all ${COMBINATIONS.length} combinations`);

function generated(config: unknown) {
  const result = generate(config);
  if (!result.ok) throw new Error(result.error.diagnostics.map((d) => `${d.path}: ${d.message}`).join("; "));
  const files = Object.fromEntries(result.value.files.map((f) => [f.path, f.contents]));
  const compose = parse(files["docker-compose.yml"]!) as { services: Record<string, ComposeService> };
  return { files, services: compose.services, stack: result.value.stack };
}

for (const combination of COMBINATIONS) {
  test(`${label(combination)}: only Traefik publishes (80, 443) with security, otherwise only 127.0.0.1`, () => {
    const { services } = generated(configFor(combination));
    const published = Object.entries(services).flatMap(([name, service]) => ((service.ports ?? []) as string[]).map((port) => `${name} ${port}`));
    if (combination.security) {
      assert.equal(published, ["traefik 80:80", "traefik 443:443"]);
    } else {
      assert.ok(published.length > 0);
      for (const entry of published) assert.match(entry, / 127\.0\.0\.1:\d+:\d+$/, entry);
    }
  });

  test(`${label(combination)}: healthchecks, service_healthy, pinned images, limits, existing mounts`, () => {
    const { services, files, stack } = generated(configFor(combination));
    const names = new Set(Object.keys(services));
    for (const [name, service] of Object.entries(services)) {
      assert.not.match(service.image, /:latest$|^[^:]+$/, `${name} image pinned`);
      if (service.restart !== "no") assert.ok(service.healthcheck?.test?.length > 0, `${name} has a healthcheck`);
      assert.ok(service.deploy?.resources?.limits?.memory, `${name} has a memory limit`);
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {}) as [string, { condition: string }][]) {
        assert.ok(names.has(dep), `${name} depends on ${dep}, which exists`);
        assert.is(condition, "service_healthy");
      }
      // Every bind mount of a generated file or folder points at something generate writes.
      for (const volume of (service.volumes ?? []) as string[]) {
        const source = volume.split(":")[0]!;
        if (!source.startsWith("./") || source.startsWith("./data/")) continue;
        const rel = source.slice(2);
        const written = [...Object.keys(files), ...stack.privateFiles.map((f) => f.path)];
        assert.ok(
          written.some((file) => file === rel || file.startsWith(`${rel}/`)),
          `${name} mounts ${source}, which generate writes`,
        );
      }
    }
    for (const db of ["mongodb", "meilisearch", "redis", "vectordb", "rag-api"])
      if (services[db]) assert.is(services[db]!.ports, undefined, `${db} is never published`);
  });

  if (combination.rag) {
    test(`${label(combination)}: rag-api and vectordb stay internal: no port, no route, no scrape job, one rag-api for every LibreChat`, () => {
      const { services, files, stack } = generated(configFor(combination));
      for (const name of ["rag-api", "vectordb"]) {
        assert.ok(services[name], `${name} runs`);
        assert.is(services[name]!.ports, undefined, `${name} publishes nothing`);
      }
      // Traefik routes only LibreChat and the admin UIs; Prometheus scrapes only what serves /metrics
      // (rag_api v0.9.0 has no such route).
      for (const file of ["traefik/dynamic.yml", "prometheus/prometheus.yml"]) {
        if (files[file]) assert.not.match(files[file]!, /rag-api|vectordb|:8000|:5432/, `${file} names neither`);
      }
      assert.equal(
        Object.keys(services).filter((name) => name.startsWith("rag")),
        ["rag-api"],
      );
      for (const librechat of stack.librechat.services) {
        assert.ok(services[librechat]!.env_file.includes(".env"), `${librechat} reads .env`);
        assert.is(services[librechat]!.depends_on["rag-api"]?.condition, "service_healthy", `${librechat} waits for rag-api`);
      }
      assert.equal(
        files[".env"]!.split("\n").filter((line) => line.startsWith("RAG_")),
        ["RAG_API_URL=http://rag-api:8000"],
      );
    });
  }
}

test("scaling: N replicas share one secrets file, only the first syncs Meilisearch, Redis is wired with a password", () => {
  const { services, files, stack } = generated({ scaling: { enabled: true, librechatReplicas: 3 } });
  const replicas = Object.keys(services).filter((name) => name.startsWith("librechat"));
  assert.equal(replicas, ["librechat-1", "librechat-2", "librechat-3"]);
  for (const name of replicas) {
    assert.equal(services[name]!.env_file, [".env", "secrets/librechat.env"]);
    assert.is(services[name]!.ports, undefined);
    assert.is(services[name]!.depends_on.redis.condition, "service_healthy");
  }
  assert.is(services["librechat-1"]!.environment, undefined);
  assert.equal(services["librechat-2"]!.environment, { MEILI_NO_SYNC: "true" });
  assert.equal(services["librechat-3"]!.environment, { MEILI_NO_SYNC: "true" });
  assert.equal(services["nginx"]!.ports, ["127.0.0.1:3080:80"]);
  assert.equal(Object.keys(services["nginx"]!.depends_on), replicas);
  // A replica Compose recreates restarts nginx too.
  for (const replica of replicas) assert.equal(services["nginx"]!.depends_on[replica], { condition: "service_healthy", restart: true });
  const env = files[".env"]!;
  for (const line of ["USE_REDIS=true", "TRUST_PROXY=1"]) assert.ok(env.includes(`\n${line}\n`), line);
  // REDIS_URI holds Redis' password: it is in the replicas' private env file, not in .env.
  assert.not.match(env, /^REDIS_URI=/m);
  const librechatEnv = stack.privateFiles.find((f) => f.path === "secrets/librechat.env")!;
  assert.equal(librechatEnv.readers, replicas);
  assert.ok(
    librechatEnv.content.kind === "env" &&
      librechatEnv.content.vars.some(
        (v) => v.name === "REDIS_URI" && JSON.stringify(v.value) === JSON.stringify(["redis://:", { secret: "REDIS_PASSWORD" }, "@redis:6379"]),
      ),
  );
  assert.equal(services["redis"]!.command, ["redis-server", "/usr/local/etc/redis/redis.conf", "--appendonly", "yes"]);
  assert.ok(services["redis"]!.volumes.includes("./secrets/redis.conf:/usr/local/etc/redis/redis.conf:ro"));
  assert.equal(services["redis"]!.healthcheck.test, ["CMD", "redis-cli", "-e", "ping"], "-e: NOAUTH is a failure, not an exit 0");
  assert.equal(services["redis"]!.env_file, ["secrets/redis.env"]);
  assert.match(
    files["nginx/nginx.conf"]!,
    /upstream librechat \{\n\s+zone librechat 64k;\n\s+least_conn;\n\s+server librechat-1:3080 [^\n]+\n\s+server librechat-2:3080 [^\n]+\n\s+server librechat-3:3080 /,
  );
  // The one address is Docker's embedded DNS server, which every container on a compose network has.
  const [withoutResolver, resolvers] = [
    files["nginx/nginx.conf"]!.replace(/^\s*resolver 127\.0\.0\.11 .*$/m, ""),
    files["nginx/nginx.conf"]!.match(/^\s*resolver .*$/gm),
  ];
  assert.equal(
    resolvers?.map((line) => line.trim()),
    ["resolver 127.0.0.11 valid=10s ipv6=off;"],
  );
  assert.not.match(withoutResolver, /\b\d+\.\d+\.\d+\.\d+\b/, "no hard-coded IP addresses");
});

test("scaling: one Ollama instance per GPU behind the balancer, one shared model folder, one pull", () => {
  const { services, files } = generated({
    presets: ["nvidia"],
    ollama: { gpu: { count: null, deviceIds: ["0", "1", "2", "3"] } },
    scaling: { enabled: true, ollamaReplicas: 2 },
  });
  assert.is(services["ollama"], undefined);
  assert.equal(services["ollama-1"]!.deploy.resources.reservations.devices, [{ driver: "nvidia", device_ids: ["0", "1"], capabilities: ["gpu"] }]);
  assert.equal(services["ollama-2"]!.deploy.resources.reservations.devices, [{ driver: "nvidia", device_ids: ["2", "3"], capabilities: ["gpu"] }]);
  for (const name of ["ollama-1", "ollama-2"]) {
    assert.equal(services[name]!.volumes, ["./data/ollama:/root/.ollama"]);
    assert.is(services[name]!.environment.OLLAMA_NOPRUNE, "1", "a shared model folder is never pruned at start");
  }
  // Pulls from the host land on one server: only ollama-1 is published, the balancer is internal.
  assert.equal(services["ollama-1"]!.ports, ["127.0.0.1:11434:11434"]);
  assert.is(services["ollama-2"]!.ports, undefined);
  assert.equal(services["nginx"]!.ports, ["127.0.0.1:3080:80"]);
  assert.equal(services["ollama-pull"]!.environment, { OLLAMA_HOST: "http://ollama-1:11434" });
  assert.equal(
    Object.keys(services["librechat-1"]!.depends_on).filter((d) => d.startsWith("ollama")),
    ["ollama-1", "ollama-2"],
  );
  assert.is((parse(files["librechat.yaml"]!) as any).endpoints.custom[0].baseURL, "http://nginx:11434/v1");
  assert.match(
    files["nginx/nginx.conf"]!,
    /upstream ollama \{\n\s+zone ollama 64k;\n\s+least_conn;\n\s+server ollama-1:11434 [^\n]+\n\s+server ollama-2:11434 /,
  );
});

test("security: LibreChat's domain, TRUST_PROXY and routes follow; HTTP redirects to HTTPS", () => {
  const { files, services } = generated({ security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" }, scaling: { enabled: true } });
  const env = files[".env"]!;
  for (const line of ["DOMAIN_CLIENT=https://chat.example.com", "DOMAIN_SERVER=https://chat.example.com", "TRUST_PROXY=2"])
    assert.ok(env.includes(`\n${line}\n`), line);
  const dynamic = parse(files["traefik/dynamic.yml"]!) as any;
  assert.is(dynamic.http.routers.librechat.rule, "Host(`chat.example.com`)");
  assert.equal(dynamic.http.services.librechat.loadBalancer.servers, [{ url: "http://nginx:80" }], "Traefik routes to the load balancer");
  assert.is(dynamic.http.middlewares["admin-auth"], undefined, "no admin UI, no basic auth");
  const staticConfig = parse(files["traefik/traefik.yml"]!) as any;
  assert.equal(staticConfig.entryPoints.web.http.redirections.entryPoint, { to: "websecure", scheme: "https", permanent: true });
  assert.is(staticConfig.certificatesResolvers.letsencrypt.acme.email, "ops@example.com");
  assert.is(staticConfig.certificatesResolvers.letsencrypt.acme.caServer, undefined, "production CA unless staging");
  assert.is(staticConfig.certificatesResolvers.letsencrypt.acme.storage, "/data/acme.json");
  assert.ok(services["traefik"]!.volumes.includes("./data/traefik:/data"), "ACME storage under data/");
  const staging = generated({ security: { enabled: true, domain: "chat.example.com", email: "ops@example.com", staging: true } });
  assert.match((parse(staging.files["traefik/traefik.yml"]!) as any).certificatesResolvers.letsencrypt.acme.caServer, /acme-staging-v02/);
});

test("security + monitoring: Grafana and Prometheus on their own hosts behind basic auth", () => {
  const { files, services } = generated({
    monitoring: { enabled: true },
    security: { enabled: true, domain: "chat.example.com", email: "ops@example.com", grafanaDomain: "metrics.example.com" },
  });
  const dynamic = parse(files["traefik/dynamic.yml"]!) as any;
  assert.is(dynamic.http.routers.grafana.rule, "Host(`metrics.example.com`)");
  assert.is(dynamic.http.routers.prometheus.rule, "Host(`prometheus.chat.example.com`)");
  for (const ui of ["grafana", "prometheus"]) assert.ok(dynamic.http.routers[ui].middlewares.includes("admin-auth"), ui);
  assert.not.ok(dynamic.http.routers.librechat.middlewares.includes("admin-auth"));
  assert.equal(dynamic.http.middlewares["admin-auth"].basicAuth, {
    usersFile: "/run/secrets/traefik-users",
    realm: "local-llm-stack admin",
    removeHeader: true,
  });
  assert.ok(services["traefik"]!.volumes.includes("./secrets/traefik-users:/run/secrets/traefik-users:ro"));
  assert.is(services["grafana"]!.environment.GF_SERVER_ROOT_URL, "https://metrics.example.com/");
  const prometheus = parse(files["prometheus/prometheus.yml"]!) as any;
  assert.equal(prometheus.scrape_configs.find((job: any) => job.job_name === "traefik").static_configs, [{ targets: ["traefik:8080"] }]);
});

test("self-signed certificates need no email and request none", () => {
  const { files } = generated({ security: { enabled: true, domain: "localhost", certificates: "self-signed" } });
  assert.is((parse(files["traefik/traefik.yml"]!) as any).certificatesResolvers, undefined);
  assert.equal((parse(files["traefik/dynamic.yml"]!) as any).http.routers.librechat.tls, {});
});

test("monitoring scrapes only real targets: never Ollama, LibreChat with a bearer token file", () => {
  const { files } = generated({ monitoring: { enabled: true, scrapeInterval: "30s", retention: "7d" }, scaling: { enabled: true, librechatReplicas: 2 } });
  const prometheus = parse(files["prometheus/prometheus.yml"]!) as any;
  assert.is(prometheus.global.scrape_interval, "30s");
  const jobs = Object.fromEntries(prometheus.scrape_configs.map((job: any) => [job.job_name, job]));
  assert.equal(Object.keys(jobs).sort(), ["cadvisor", "librechat", "node-exporter", "prometheus"]);
  assert.equal(jobs["librechat"].static_configs, [{ targets: ["librechat-1:3080", "librechat-2:3080"] }]);
  assert.equal(jobs["librechat"].authorization, { type: "Bearer", credentials_file: "../secrets/metrics-token" });
  assert.not.ok(JSON.stringify(prometheus.scrape_configs).includes("ollama"), "Ollama has no /metrics endpoint");
  const compose = parse(files["docker-compose.yml"]!) as any;
  assert.ok(compose.services.prometheus.command.includes("--storage.tsdb.retention.time=7d"));
  // The token file sits at the same place relative to prometheus.yml on the host and inside the container.
  assert.ok(compose.services.prometheus.volumes.includes("./prometheus:/etc/prometheus:ro"));
  assert.ok(compose.services.prometheus.volumes.includes("./secrets/metrics-token:/etc/secrets/metrics-token:ro"));
  assert.equal(compose.services.prometheus.ports, ["127.0.0.1:9090:9090"]);
  assert.equal(compose.services.grafana.ports, ["127.0.0.1:3000:3000"]);
});

test("every module file: same bytes twice, the generated notice, LF only, no absolute path", () => {
  for (const file of assertDeterministicFiles(configFor({ monitoring: true, security: true, scaling: true }))) {
    const notice = /Generated by local-llm-stack from llm\.config\.ts\. Do not edit/;
    if (file.path.endsWith(".json")) assert.match((JSON.parse(file.contents) as { description: string }).description, notice);
    // The managed blocks carry their own marker line instead.
    else if (file.path !== ".gitignore" && file.path !== ".gitattributes") assert.match(file.contents.split("\n")[0]!, notice, file.path);
  }
});

test("modules off: no module file, service, secret or private file", () => {
  const { files, stack, services } = generated({});
  assert.equal(Object.keys(files).sort(), [".env", ".gitattributes", ".gitignore", "docker-compose.yml", "librechat.yaml"]);
  assert.equal(
    stack.secrets.map((s) => [s.name, s.readers.join(",")]),
    [
      ["CREDS_IV", "librechat"],
      ["CREDS_KEY", "librechat"],
      ["JWT_REFRESH_SECRET", "librechat"],
      ["JWT_SECRET", "librechat"],
      ["MEILI_MASTER_KEY", "librechat,meilisearch"],
      ["MONGO_PASSWORD", "librechat,mongodb"],
    ],
  );
  // The core services' own env files only: no module's.
  assert.equal(
    stack.privateFiles.map((f) => f.path),
    ["secrets/librechat.env", "secrets/meilisearch.env", "secrets/mongodb.env"],
  );
  assert.equal(Object.keys(services).sort(), ["librechat", "meilisearch", "mongodb", "ollama", "ollama-pull"]);
});

test("llm models talks to the first of several Ollama instances, and says why it cannot with security on", () => {
  const scaled = generated({ presets: ["nvidia"], ollama: { gpu: { count: "all" }, port: 11500 }, scaling: { enabled: true, ollamaReplicas: 2 } }).stack;
  assert.equal(stackEndpoint(scaled, "llm.config.ts"), { ok: true, value: { url: "http://127.0.0.1:11500", from: "llm.config.ts", service: "ollama-1" } });
  const single = generated({}).stack;
  assert.equal(stackEndpoint(single, "llm.config.ts"), { ok: true, value: { url: "http://127.0.0.1:11434", from: "llm.config.ts", service: "ollama" } });
  const secured = stackEndpoint(generated({ security: { enabled: true, domain: "localhost", certificates: "self-signed" } }).stack, "llm.config.ts");
  assert.ok(!secured.ok);
  if (!secured.ok) {
    assert.match(secured.error.message, "the security module is on in llm.config.ts: only Traefik publishes ports");
    assert.match(secured.error.hint ?? "", "docker compose exec ollama ollama pull MODEL");
  }
});

test("self-signed Traefik (no Let's Encrypt challenge to answer) stays on bindAddress", () => {
  const config = { security: { enabled: true, domain: "localhost", certificates: "self-signed" } };
  assert.equal(generated(config).services["traefik"]!.ports, ["127.0.0.1:80:80", "127.0.0.1:443:443"]);
  assert.equal(generated({ ...config, bindAddress: "0.0.0.0" }).services["traefik"]!.ports, ["0.0.0.0:80:80", "0.0.0.0:443:443"]);
});

test.run();
