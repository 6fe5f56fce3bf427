// RAG: chat with your files. LibreChat hands an uploaded file to rag_api, which splits it into
// chunks, embeds each with an embedding model served by the stack's own Ollama and keeps the
// vectors in PostgreSQL with pgvector; a question about the file is embedded the same way and the
// nearest chunks go into the prompt. Nothing leaves the machine. Both services stay internal (no
// published port, nothing a proxy routes) and rag_api serves no /metrics, so nothing scrapes it.
// rag_api verifies LibreChat's requests with LibreChat's own JWT_SECRET (HS256), so it reads that
// secret too; the database password reaches only PostgreSQL and rag_api.
import type { ResolvedConfig } from "../config/types.js";
import { PRIVATE_DIR } from "../layout.js";
import { health, limits, longRunning, sortedEnv } from "../stack/helpers.js";
import { imageTag } from "../stack/images.js";
import { canonicalModelName, declaredModels } from "../stack/models.js";
import { OWNER_ONLY, fromSecret, secretEnvFile, secretValueFile } from "../stack/secret-files.js";
import { password } from "../stack/secret-specs.js";
import type { DataFolder, Notice, Service, Target } from "../stack/types.js";
import type { Wiring } from "../stack/wiring.js";
import type { Applied, ModuleContext } from "../stack/module.js";
import { defineModule, type RuleContext } from "./module.js";

interface RagModel {
  /** RAG_API_URL: where every LibreChat service reaches rag_api. */
  url: string;
  embeddingModel: string;
  /** The Ollama root rag_api embeds through (Ollama itself or its load balancer). */
  ollamaUrl: string;
  dataFolder: string;
}

declare module "../stack/types.js" {
  interface ModuleModels {
    rag?: RagModel;
  }
}

/** Compose names are DNS names (a Kubernetes Service name may not hold "_", unlike upstream's rag_api). */
const API = "rag-api";
const DB = "vectordb";
const API_PORT = 8000;
const DB_PORT = 5432;
/** The database and its user, created by the postgres image's entrypoint on an empty data folder. */
const DB_NAME = "rag";
const DB_USER = "rag";
const PASSWORD_FILE = `${PRIVATE_DIR}/vectordb-password`;
const PASSWORD_TARGET = "/run/secrets/vectordb-password";

/** 15 for pgvector/pgvector:0.8.6-pg15-trixie (or :pg15); undefined when the tag names no PostgreSQL major. */
function postgresMajor(image: string): number | undefined {
  const match = /(?:^|-)pg(\d+)(?:-|$)/.exec(imageTag(image));
  return match ? Number(match[1]) : undefined;
}

/** PostgreSQL opens only data files of its own major version: a folder per major. */
function dataFolder(image: string): DataFolder {
  const major = postgresMajor(image);
  const version = major === undefined ? imageTag(image) || "unknown" : `pg${major}`;
  return {
    path: `data/pgvector-${version}`,
    service: DB,
    family: "pgvector",
    version,
    change: "migrate",
    migration: {
      what: "PostgreSQL data (the RAG module's vectors)",
      why: "PostgreSQL opens only data files of its own major version",
      how: `dump it while the old image still runs (docker compose exec -T ${DB} pg_dump -U ${DB_USER} -d ${DB_NAME} > vectordb.sql), switch, then restore it (docker compose exec -T ${DB} psql -U ${DB_USER} -d ${DB_NAME} < vectordb.sql); or start empty and upload the files again`,
      setting: "rag.vectordb.image",
    },
    legacy: [],
  };
}

/** The image's entrypoint, as root, reads POSTGRES_PASSWORD_FILE before it steps down to postgres,
 * creates the user and database on an empty data folder and requires a password over TCP. */
function vectordbService(config: ResolvedConfig, folder: DataFolder, target: Target): Service {
  const v = config.rag.vectordb;
  const major = postgresMajor(v.image);
  // A fresh Kubernetes volume holds lost+found, and initdb refuses a folder that is not empty: the
  // data goes one folder down (up to 17; from 18 the image already keeps it in a subfolder).
  const pgdata: Record<string, string> = target === "kubernetes" && (major ?? 0) < 18 ? { PGDATA: "/var/lib/postgresql/data/pgdata" } : {};
  return longRunning({
    name: DB,
    summary: `PostgreSQL ${major ?? "(version unknown)"} with pgvector: the RAG module's vectors (internal only, never published; user ${DB_USER}, password VECTORDB_PASSWORD)`,
    image: v.image,
    environment: sortedEnv({ ...pgdata, POSTGRES_DB: DB_NAME, POSTGRES_PASSWORD_FILE: PASSWORD_TARGET, POSTGRES_USER: DB_USER }),
    mounts: [
      // PGDATA is /var/lib/postgresql/data up to 17; from 18 the image keeps it under /var/lib/postgresql.
      { kind: "bind", source: `./${folder.path}`, target: (major ?? 0) >= 18 ? "/var/lib/postgresql" : "/var/lib/postgresql/data", readOnly: false },
      { kind: "bind", source: `./${PASSWORD_FILE}`, target: PASSWORD_TARGET, readOnly: true },
    ],
    // Over TCP: while the entrypoint initialises a new folder its temporary server listens on the
    // socket only, so a socket check would pass before rag_api can connect.
    healthcheck: health(["CMD", "pg_isready", "-h", "127.0.0.1", "-p", String(DB_PORT), "-U", DB_USER, "-d", DB_NAME], "30s"),
    listens: [{ name: "postgres", port: DB_PORT }],
    limits: limits(v.memory, v.cpus),
  });
}

/** rag_api's /health answers 200 even when the database is down (FastAPI sends the route's
 * `({"status": "DOWN"}, 503)` as a JSON list), so the check reads the body. The lite image has
 * Python, no curl or wget. */
const API_HEALTH = [
  "CMD",
  "python",
  "-c",
  `import json, sys, urllib.request; r = json.load(urllib.request.urlopen("http://127.0.0.1:${API_PORT}/health", timeout=4)); sys.exit(0 if isinstance(r, dict) and r.get("status") == "UP" else 1)`,
];

function apiService(config: ResolvedConfig, wiring: Wiring): Service {
  const r = config.rag;
  const a = r.api;
  return longRunning({
    name: API,
    summary: `rag_api ${imageTag(a.image) || "(version unknown)"}: embeds uploaded files with ${r.embeddingModel} through Ollama and answers LibreChat's file searches (internal only, never published)`,
    image: a.image,
    environment: sortedEnv({
      CHUNK_OVERLAP: String(r.chunkOverlap),
      CHUNK_SIZE: String(r.chunkSize),
      DB_HOST: DB,
      DB_PORT: String(DB_PORT),
      EMBEDDINGS_MODEL: r.embeddingModel,
      EMBEDDINGS_PROVIDER: "ollama",
      OLLAMA_BASE_URL: wiring.ollama.url,
      POSTGRES_DB: DB_NAME,
      POSTGRES_USER: DB_USER,
      RAG_PORT: String(API_PORT),
      VECTOR_DB_TYPE: "pgvector",
    }),
    // JWT_SECRET and POSTGRES_PASSWORD: rag_api reads no *_FILE variable.
    envFiles: [`${PRIVATE_DIR}/${API}.env`],
    healthcheck: health(API_HEALTH, "60s"),
    listens: [{ name: "http", port: API_PORT }],
    // It opens its database pool at start-up; Ollama is asked only when a file or question arrives.
    dependsOn: [DB, ...wiring.ollama.services].sort().map((service) => ({ service, condition: "service_healthy" as const })),
    limits: limits(a.memory, a.cpus),
  });
}

function addRag(wiring: Wiring, { config, target }: ModuleContext): Applied<RagModel> {
  const r = config.rag;
  const folder = dataFolder(r.vectordb.image);
  const url = `http://${API}:${API_PORT}`;
  // Every LibreChat service (each replica with scaling) reads RAG_API_URL from the shared .env and
  // starts once rag_api answers: LibreChat probes its /health at start-up (packages/api app/checks.ts).
  const services = wiring.services.map((service) =>
    wiring.librechat.includes(service.name)
      ? {
          ...service,
          dependsOn: [...service.dependsOn, { service: API, condition: "service_healthy" as const }].sort((a, b) => (a.service < b.service ? -1 : 1)),
        }
      : service,
  );
  const warnings: Notice[] =
    config.ollama.maxLoadedModels < 2
      ? [
          {
            path: "ollama.maxLoadedModels",
            message: `Ollama keeps one model loaded (ollama.maxLoadedModels is 1): every upload and every question about a file loads ${r.embeddingModel} in place of the chat model, which then loads again`,
            hint: "set ollama.maxLoadedModels to 2 if memory allows (an embedding model takes well under 1 GiB), or keep it for a low-RAM machine",
          },
        ]
      : [];
  return {
    wiring: { ...wiring, services: [...services, vectordbService(config, folder, target), apiService(config, wiring)] },
    // On Kubernetes the vectors live in vectordb's volume claim, not in a folder here.
    model: { url, embeddingModel: r.embeddingModel, ollamaUrl: wiring.ollama.url, dataFolder: target === "kubernetes" ? `${DB}'s volume claim` : folder.path },
    // PostgreSQL's entrypoint reads its file as root; rag_api's variables go through Compose.
    privateFiles: [
      secretValueFile("vectordb-password", "VECTORDB_PASSWORD", OWNER_ONLY),
      secretEnvFile(API, [fromSecret("JWT_SECRET"), fromSecret("POSTGRES_PASSWORD", "VECTORDB_PASSWORD")]),
    ],
    librechatEnv: [
      { key: "RAG_API_URL", value: url, comment: `RAG: file search and chat with files through rag_api (embeddings by ${r.embeddingModel} in Ollama)` },
    ],
    dataFolders: [folder],
    warnings,
  };
}

function rules({ config, at }: RuleContext): void {
  const r = config.rag;
  if (r.chunkOverlap >= r.chunkSize) {
    at(
      "rag.chunkOverlap",
      `rag.chunkOverlap (${r.chunkOverlap}) must be smaller than rag.chunkSize (${r.chunkSize})`,
      "lower rag.chunkOverlap (upstream's default is 100 for 1500)",
    );
  }
  // Ollama embeds with any model (its /api/embed asks for no capability), so a chat model would
  // give poor vectors slowly instead of an error: refused where the config says it is one.
  const wanted = canonicalModelName(r.embeddingModel);
  const declared = declaredModels(config).find((m) => canonicalModelName(m.name) === wanted);
  if (declared?.kind === "chat") {
    at(
      "rag.embeddingModel",
      `${r.embeddingModel} is one of the chat models in models: rag_api needs an embedding model (Ollama embeds with a chat model without an error, slowly and badly)`,
      `use an embedding model such as "nomic-embed-text"; if ${r.embeddingModel} is one, declare it in models as { name: "${r.embeddingModel}", kind: "embedding" }`,
    );
  }
}

export const rag = defineModule({
  name: "rag",
  example: { rag: { enabled: true } },
  rules,
  models: (config) => [{ name: config.rag.embeddingModel, kind: "embedding" }],
  apply: addRag,
  secrets: [
    password("VECTORDB_PASSWORD", 32, 16, {
      rotationWarning: `PostgreSQL keeps the password it created its user with: change it there first (docker compose exec ${DB} psql -U ${DB_USER} -d ${DB_NAME} -c '\\password ${DB_USER}'), then recreate ${API}.`,
      guardsDataOf: DB,
    }),
  ],
  outputs: [],
  nextSteps: (model) => [
    `Chat with files: attach them in LibreChat; ${API} embeds them with ${model.embeddingModel} and keeps the vectors in ${model.dataFolder}`,
  ],
});
