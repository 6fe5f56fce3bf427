// The RAG module: rag_api and pgvector wired as their sources at the pinned tags require
// (docs/upstream-facts.md, "rag_api" and "pgvector"), with the healthchecks run for real: the
// generated rag-api check against a server answering as rag_api's /health does, the generated
// vectordb check against a real PostgreSQL 15 started the way the image's entrypoint starts it.
import { execFile, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { runChecks } from "../src/doctor/checks.js";
import { generate } from "../src/index.js";
import { parseSecrets } from "../src/secrets/store.js";
import { HOSTS, fakeHost } from "./helpers/host.js";
import { EXAMPLES } from "./helpers/paths.js";
import { copyExample, removeDir, runCli, snapshot, tempDir, workspaceWith } from "./helpers/workspace.js";

const test = suite("rag module: one internal rag_api and pgvector, embeddings from the stack's Ollama");

type Service = Record<string, any>;
function built(config: Record<string, unknown>) {
  const result = generate({ presets: ["cpu"], ...config, rag: { enabled: true, ...(config["rag"] as object) } });
  if (!result.ok) throw new Error(result.error.diagnostics.map((d) => `${d.path}: ${d.message}`).join("; "));
  const files = Object.fromEntries(result.value.files.map((f) => [f.path, f.contents]));
  return { files, stack: result.value.stack, services: (parse(files["docker-compose.yml"]!) as { services: Record<string, Service> }).services };
}
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");
const envOf = (dir: string, file: string) => new Map([...parseSecrets(read(dir, file))].map(([k, v]) => [k, v.value]));

/** Fails on a cycle: Compose refuses one ("dependency cycle detected"). */
function assertNoDependencyCycle(services: Record<string, Service>): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === "done") return;
    assert.ok(state.get(name) !== "visiting", `dependency cycle: ${[...trail, name].join(" -> ")}`);
    state.set(name, "visiting");
    for (const dep of Object.keys(services[name]?.depends_on ?? {})) visit(dep, [...trail, name]);
    state.set(name, "done");
  };
  for (const name of Object.keys(services)) visit(name, []);
}

test("the LibreChat replicas share one rag_api: one RAG_API_URL in the one .env, every replica waits for it", () => {
  const { services, files, stack } = built({ scaling: { enabled: true, librechatReplicas: 3 } });
  assert.equal(stack.librechat.services, ["librechat-1", "librechat-2", "librechat-3"]);
  assert.equal(
    Object.keys(services).filter((name) => services[name]!.image.includes("rag-api")),
    ["rag-api"],
  );
  assert.match(files[".env"]!, /\nRAG_API_URL=http:\/\/rag-api:8000\n/);
  for (const replica of stack.librechat.services) {
    assert.ok(services[replica]!.env_file.includes(".env"));
    assert.is(services[replica]!.depends_on["rag-api"].condition, "service_healthy");
    assert.is(services[replica]!.environment?.["RAG_API_URL"], undefined, "nowhere but the shared .env");
  }
  assertNoDependencyCycle(services);
});

test("with several Ollama instances rag_api embeds through their balancer and waits for each instance, without a cycle through nginx", () => {
  const { services, stack } = built({
    presets: ["nvidia"],
    ollama: { gpu: { count: null, deviceIds: ["0", "1"] } },
    scaling: { enabled: true, librechatReplicas: 2, ollamaReplicas: 2 },
  });
  const api = services["rag-api"]!;
  assert.is(api.environment["OLLAMA_BASE_URL"], "http://nginx:11434");
  assert.is(stack.librechat.ollamaBaseURL, "http://nginx:11434/v1", "LibreChat and rag_api reach Ollama the same way");
  assert.equal(Object.keys(api.depends_on), ["ollama-1", "ollama-2", "vectordb"]);
  assertNoDependencyCycle(services);
  // One instance: Ollama itself.
  assert.is(built({}).services["rag-api"]!.environment["OLLAMA_BASE_URL"], "http://ollama:11434");
});

test("rag_api is wired as its config module reads it: Ollama embeddings, pgvector, the chunking from the config", () => {
  const { services } = built({ rag: { chunkSize: 800, chunkOverlap: 80, embeddingModel: "mxbai-embed-large" } });
  assert.equal(services["rag-api"]!.environment, {
    CHUNK_OVERLAP: "80",
    CHUNK_SIZE: "800",
    DB_HOST: "vectordb",
    DB_PORT: "5432",
    EMBEDDINGS_MODEL: "mxbai-embed-large",
    EMBEDDINGS_PROVIDER: "ollama",
    OLLAMA_BASE_URL: "http://ollama:11434",
    POSTGRES_DB: "rag",
    POSTGRES_USER: "rag",
    RAG_PORT: "8000",
    VECTOR_DB_TYPE: "pgvector",
  });
  assert.equal(services["rag-api"]!.env_file, ["secrets/rag-api.env"]);
  const db = services["vectordb"]!;
  assert.equal(db.environment, { POSTGRES_DB: "rag", POSTGRES_PASSWORD_FILE: "/run/secrets/vectordb-password", POSTGRES_USER: "rag" });
  assert.equal(db.volumes, ["./data/pgvector-pg15:/var/lib/postgresql/data", "./secrets/vectordb-password:/run/secrets/vectordb-password:ro"]);
  assert.is(db.user, undefined, "the entrypoint starts as root, chowns the folder and steps down to postgres");
});

test("the embedding model is pulled once with the others and never offered for chat", () => {
  const pulled = (config: Record<string, unknown>) => built(config).services["ollama-pull"]!.command as string[];
  assert.equal(pulled({ models: ["llama3.2:3b"] }), ["llama3.2:3b", "nomic-embed-text"]);
  // Declared already (under any spelling Ollama treats as the same model): pulled once.
  assert.equal(pulled({ models: ["llama3.2:3b", "nomic-embed-text:latest"] }), ["llama3.2:3b", "nomic-embed-text:latest"]);
  assert.equal(pulled({ models: ["llama3.2:3b", { name: "my-embedder:1", kind: "embedding" }], rag: { embeddingModel: "my-embedder:1" } }), [
    "llama3.2:3b",
    "my-embedder:1",
  ]);
  const { files, stack } = built({ models: ["llama3.2:3b"], rag: { embeddingModel: "my-embedder:2" } });
  assert.equal(stack.models, ["llama3.2:3b", "my-embedder:2"]);
  assert.equal(stack.chatModels, ["llama3.2:3b"]);
  const offered = (parse(files["librechat.yaml"]!) as any).endpoints.custom[0].models.default as string[];
  assert.equal(offered, ["llama3.2:3b"]);
  // Off: nothing of it, not even the model.
  const off = generate({ presets: ["cpu"], models: ["llama3.2:3b"] });
  assert.ok(off.ok && !off.value.stack.models.includes("nomic-embed-text"));
});

test("a chat model as the embedding model is a named config error; one declared as an embedding model is accepted", async () => {
  const dir = workspaceWith("llm.config.json", JSON.stringify({ models: ["llama3.2:3b"], rag: { enabled: true, embeddingModel: "llama3.2:3b" } }));
  try {
    const before = snapshot(dir);
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 2);
    assert.match(run.stderr, "error CONFIG_INVALID");
    assert.match(run.stderr, "llm.config.json: rag.embeddingModel: llama3.2:3b is one of the chat models in models: rag_api needs an embedding model");
    assert.match(run.stderr, 'declare it in models as { name: "llama3.2:3b", kind: "embedding" }');
    assert.equal(snapshot(dir), before, "nothing written");
    const explicit = { models: ["llama3.2:3b", { name: "nomic-embed-text", kind: "chat" }], rag: { enabled: true } };
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify(explicit));
    assert.match((await runCli(["validate"], dir)).stderr, "rag.embeddingModel: nomic-embed-text is one of the chat models in models");
    const declared = {
      models: ["llama3.2:3b", { name: "hf.co/org/embedder-GGUF:Q8_0", kind: "embedding" }],
      rag: { enabled: true, embeddingModel: "hf.co/org/embedder-GGUF:Q8_0" },
    };
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify(declared));
    assert.is((await runCli(["validate"], dir)).code, 0);
  } finally {
    removeDir(dir);
  }
});

test("one loaded model at a time is warned about: each embedding swaps the chat model out; low-ram keeps RAG off unless asked", async () => {
  const warned = (config: Record<string, unknown>) => built(config).stack.warnings.filter((w) => w.path === "ollama.maxLoadedModels");
  assert.equal(warned({ ollama: { maxLoadedModels: 2 } }), []);
  const [warning] = warned({});
  assert.match(warning!.message, "every upload and every question about a file loads nomic-embed-text in place of the chat model");
  // low-ram: off, and the preset says why; asked for, it runs with the preset's limits and the warning.
  const lowRam = generate({ presets: ["cpu", "low-ram"] });
  assert.ok(lowRam.ok && !lowRam.value.stack.services.some((s) => s.name === "rag-api"));
  const shown = await runCli(["presets", "show", "low-ram"], tempDir());
  assert.match(shown.stdout, "RAG stays off unless the config turns it on: it adds about 1 GiB");
  assert.match(shown.stdout, /rag\.enabled +false/);
  const asked = built({ presets: ["cpu", "low-ram"] });
  assert.equal(asked.services["rag-api"]!.deploy.resources.limits, { memory: "768m", cpus: 0.5 });
  assert.equal(asked.services["vectordb"]!.deploy.resources.limits, { memory: "256m", cpus: 0.5 });
  assert.ok(asked.stack.warnings.some((w) => w.path === "ollama.maxLoadedModels"));
});

test("secrets: VECTORDB_PASSWORD only in vectordb's file and rag-api's env file, rag-api's JWT_SECRET is LibreChat's, none in a committed file", async () => {
  const dir = copyExample(path.join(EXAMPLES, "rag"));
  try {
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 0, run.stderr);
    const values = envOf(dir, "secrets.env");
    assert.match(values.get("VECTORDB_PASSWORD")!, /^[A-Za-z0-9]{32}$/);
    assert.is(read(dir, "secrets/vectordb-password"), values.get("VECTORDB_PASSWORD"));
    assert.equal(Object.fromEntries(envOf(dir, "secrets/rag-api.env")), {
      JWT_SECRET: values.get("JWT_SECRET"),
      POSTGRES_PASSWORD: values.get("VECTORDB_PASSWORD"),
    });
    // Byte for byte the value LibreChat signs its short-lived tokens with (HS256).
    assert.is(envOf(dir, "secrets/rag-api.env").get("JWT_SECRET"), envOf(dir, "secrets/librechat.env").get("JWT_SECRET"));
    assert.not.ok(read(dir, "secrets/librechat.env").includes(values.get("VECTORDB_PASSWORD")!), "LibreChat never sees the database password");
    for (const file of ["docker-compose.yml", ".env", "librechat.yaml", ".llm/manifest.json"]) {
      for (const [name, value] of values) assert.not.ok(read(dir, file).includes(value), `${name} in ${file}`);
    }
    const listed = await runCli(["secrets"], dir);
    assert.match(listed.stdout, /JWT_SECRET +set +librechat, rag-api\n/);
    assert.match(listed.stdout, /VECTORDB_PASSWORD +set +rag-api, vectordb\n/);
    // Rotating the shared JWT secret recreates both of its readers.
    const rotated = await runCli(["secrets", "rotate", "JWT_SECRET"], dir);
    assert.is(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, "docker compose up -d --force-recreate librechat rag-api");
    assert.is(envOf(dir, "secrets/rag-api.env").get("JWT_SECRET"), envOf(dir, "secrets.env").get("JWT_SECRET"));
  } finally {
    removeDir(dir);
  }
});

/** A folder with a config and data folders another version left. */
function folderWith(config: unknown, dataFolders: string[]): string {
  const dir = workspaceWith("llm.config.json", JSON.stringify(config));
  for (const folder of dataFolders) {
    mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(path.join(dir, folder, "PG_VERSION"), "16\n");
  }
  return dir;
}

test("PostgreSQL data of another major version is never hidden behind an empty database; 18+ is mounted where its image keeps PGDATA", async () => {
  const dir = folderWith({ rag: { enabled: true, vectordb: { image: "pgvector/pgvector:0.8.6-pg16-trixie" } } }, ["data/pgvector-pg15"]);
  try {
    const before = snapshot(dir);
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 2);
    assert.match(run.stderr, "error DATA_MIGRATION_REQUIRED");
    assert.match(
      run.stderr,
      "llm.config.json: rag.vectordb.image: data/pgvector-pg15 holds PostgreSQL data (the RAG module's vectors) of another version, but pgvector/pgvector:0.8.6-pg16-trixie would start an empty database in data/pgvector-pg16 (PostgreSQL opens only data files of its own major version)",
    );
    assert.match(run.stderr, "docker compose exec -T vectordb pg_dump -U rag -d rag > vectordb.sql");
    assert.equal(snapshot(dir), before, "nothing written");
    // Back to the version that wrote it: fine.
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ rag: { enabled: true } }));
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
  } finally {
    removeDir(dir);
  }
  const pg18 = built({ rag: { vectordb: { image: "pgvector/pgvector:0.8.6-pg18-trixie" } } }).services["vectordb"]!;
  assert.ok(pg18.volumes.includes("./data/pgvector-pg18:/var/lib/postgresql"));
});

test('the generated rag-api healthcheck passes only on {"status":"UP"}: rag_api\'s /health answers 200 with the database down', async () => {
  const check = built({}).services["rag-api"]!.healthcheck.test as string[];
  assert.equal(check.slice(0, 3), ["CMD", "python", "-c"]);
  const python = ["python3", "python"].find((name) => spawnSync(name, ["--version"]).status === 0);
  if (!python) throw new Error("no python3 for the rag-api healthcheck test (the image runs its own Python 3.12)");
  let body = "";
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  // The one change to the generated command: the port this test's server listens on.
  const script = check[3]!.replace("127.0.0.1:8000", `127.0.0.1:${port}`);
  assert.is.not(script, check[3], "the check asks 127.0.0.1:8000");
  const exitOf = async (code: string) =>
    promisify(execFile)(python, ["-c", code], { timeout: 20_000 }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );
  try {
    // What FastAPI sends for `return {"status": "UP"}` and for `return {"status": "DOWN"}, 503`.
    body = '{"status":"UP"}';
    assert.is(await exitOf(script), 0, "UP");
    body = '[{"status":"DOWN"},503]';
    assert.is(await exitOf(script), 1, "the DOWN tuple, sent with status 200");
    body = '[{"status":"DOWN","error":"connection refused"},503]';
    assert.is(await exitOf(script), 1, "DOWN with an error");
    // A status-only check (what curl -f or wget would do) passes on the same answer: the body matters.
    assert.is(await exitOf(`import urllib.request; urllib.request.urlopen("http://127.0.0.1:${port}/health", timeout=4)`), 0, "status-only is blind");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.is(await exitOf(script), 1, "nothing listening");
});

/** PostgreSQL's server binaries (initdb, pg_ctl, postgres), newest major first. */
function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = majors.map((m) => path.join(root, m, "bin")).find((bin) => existsSync(path.join(bin, "initdb")));
  if (!dir) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql for the vectordb healthcheck test: apt-get install postgresql");
  return dir;
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("the generated vectordb healthcheck waits for TCP: the entrypoint's socket-only first start does not pass it", async () => {
  const check = built({}).services["vectordb"]!.healthcheck.test as string[];
  assert.equal(check, ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "rag", "-d", "rag"]);
  const bin = postgresBin();
  const port = String(await freePort());
  const dir = tempDir("llm-pg-");
  const data = path.join(dir, "data");
  const sockets = path.join(dir, "run");
  mkdirSync(sockets);
  // PostgreSQL refuses to run as root: as root, run it as nobody, as the image runs it as postgres.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) for (const owned of [dir, sockets]) chownSync(owned, 65534, 65534);
  const as = (argv: string[]) => (asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...argv] : argv);
  const run = (argv: string[]) => {
    const [command, ...args] = as(argv);
    return spawnSync(command!, args, { encoding: "utf8", timeout: 60_000, cwd: dir });
  };
  // The generated command, on this test's port (the one change).
  const healthcheck = () =>
    spawnSync(
      "pg_isready",
      check.slice(2).map((arg) => (arg === "5432" ? port : arg)),
      { encoding: "utf8" },
    ).status;
  const pgCtl = (options: string) => run([path.join(bin, "pg_ctl"), "-D", data, "-l", path.join(dir, "log"), "-o", options, "-w", "start"]);
  const stop = () => run([path.join(bin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]);
  try {
    const init = run([path.join(bin, "initdb"), "-D", data, "--username=rag", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8"]);
    assert.is(init.status, 0, init.stderr);
    // As docker-entrypoint.sh's docker_temp_server_start: listen_addresses='' while it creates the
    // user and the database.
    const temporary = pgCtl(`-c listen_addresses='' -p ${port} -k ${sockets}`);
    assert.is(temporary.status, 0, temporary.stderr + readFileSync(path.join(dir, "log"), "utf8"));
    try {
      assert.is.not(healthcheck(), 0, "not healthy while only the socket answers");
      const socket = spawnSync("pg_isready", ["-h", sockets, "-p", port, "-U", "rag", "-d", "rag"], { encoding: "utf8" });
      assert.is(socket.status, 0, `a socket check would already pass: ${socket.stdout}`);
    } finally {
      stop();
    }
    // Then `exec postgres` with the image's listen_addresses = '*' (its Dockerfile edits the sample).
    const final = pgCtl(`-c listen_addresses='127.0.0.1' -p ${port} -k ${sockets}`);
    assert.is(final.status, 0, final.stderr);
    try {
      assert.is(healthcheck(), 0, "healthy once TCP answers, with a password required there");
    } finally {
      stop();
    }
  } finally {
    removeDir(dir);
  }
});

test("llm doctor counts the module's memory limits (rag-api 1 GiB, vectordb 512 MiB), images and model", async () => {
  const memoryOf = async (config: Record<string, unknown>) => {
    const result = generate({ presets: ["cpu"], ...config });
    if (!result.ok) throw new Error(result.error.message);
    const checks = await runChecks({
      config: result.value.resolved.config,
      stack: result.value.stack,
      outDir: tempDir(),
      composeFileExists: false,
      host: fakeHost(HOSTS.cpuOnly()),
      today: "2026-12-03",
    });
    return checks
      .filter((c) => c.id === "memory" || c.id === "disk")
      .map((c) => c.message)
      .join("\n");
  };
  assert.match(await memoryOf({}), "the services' limits add up to 12.0 GiB");
  const withRag = await memoryOf({ rag: { enabled: true } });
  assert.match(withRag, "the services' limits add up to 13.5 GiB");
  // Disk: its two images (about 1.5 and 0.45 GiB) and the embedding model (about 0.3 GiB).
  assert.match(await memoryOf({}), "the stack needs about 10.0 GiB");
  assert.match(withRag, "the stack needs about 12.3 GiB");
});

test.run();
