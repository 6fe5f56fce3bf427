// Rules for the env maps a user adds to the services (librechat.env, ollama.env): what they hold is
// written to committed files and reaches the container as it is, so a value that is a secret, or
// one that undoes what the generator wires, is refused here with the key to use instead.
import type { ConfigRule } from "../config/resolve.js";
import type { ResolvedConfig } from "../config/types.js";
import type { Diagnostic } from "../errors.js";
import { SECRETS_FILE } from "../layout.js";

/** Where each env map is written, and what a generated secret there would do. */
const COMMITTED_IN = {
  "librechat.env": { file: ".env", effect: `has no effect (LibreChat reads ${SECRETS_FILE}'s value after it)` },
  "ollama.env": { file: "docker-compose.yml (or the Kubernetes manifests)", effect: "reaches Ollama, which does not read it" },
} as const;

/** A variable llm sets from a typed key (or wires itself, `typed` undefined), and what depends on it. */
interface Wired {
  typed?: string;
  why: string;
}

const ADDRESS_FOLLOWERS = "the sign-up default, the next steps and the TLS warnings follow LibreChat's address";
const REDIS = "Redis runs, with its password in LibreChat's secrets, only with the scaling module";

const LIBRECHAT_WIRED: Record<string, Wired> = {
  HOST: { why: "LibreChat listens on every interface of its container, where the port mapping and proxies reach it", typed: "bindAddress" },
  PORT: { why: "the port mapping, the healthcheck and any proxy reach LibreChat on 3080 inside its container", typed: "librechat.port" },
  DOMAIN_CLIENT: { why: ADDRESS_FOLLOWERS, typed: "librechat.domain" },
  DOMAIN_SERVER: { why: ADDRESS_FOLLOWERS, typed: "librechat.domain" },
  APP_TITLE: { why: "the title is a setting of its own", typed: "librechat.title" },
  CONFIG_PATH: { why: "the generated librechat.yaml is mounted at /app/librechat.yaml; another path leaves LibreChat without its Ollama endpoint" },
  ALLOW_REGISTRATION: { why: "the next steps and the create-user command follow whether sign-ups are open", typed: "librechat.registration" },
  SEARCH: { why: "Meilisearch is started, and its key handed to LibreChat, only with search on", typed: "librechat.search" },
  MEILI_HOST: { why: "LibreChat searches the stack's own Meilisearch, whose key llm generates", typed: "librechat.search" },
  USE_REDIS: { why: REDIS, typed: "scaling.enabled" },
  REDIS_URI: { why: REDIS, typed: "scaling.enabled" },
  RAG_API_URL: { why: "rag_api and its vector database run only with the RAG module", typed: "rag.enabled" },
};

const OLLAMA_WIRED: Record<string, Wired> = {
  OLLAMA_HOST: {
    why: "Ollama must listen on 0.0.0.0:11434 in its container, where LibreChat, the model pull and the port mapping reach it (on loopback it is unreachable while its healthcheck passes)",
    typed: "ollama.port",
  },
  OLLAMA_MODELS: { why: "the models are kept in ./data/ollama, mounted at /root/.ollama; another folder is lost when the container is recreated" },
  ...Object.fromEntries(
    Object.entries({
      OLLAMA_NUM_PARALLEL: "ollama.numParallel",
      OLLAMA_CONTEXT_LENGTH: "ollama.contextLength",
      OLLAMA_KEEP_ALIVE: "ollama.keepAlive",
      OLLAMA_KV_CACHE_TYPE: "ollama.kvCacheType",
      OLLAMA_MAX_LOADED_MODELS: "ollama.maxLoadedModels",
      OLLAMA_FLASH_ATTENTION: "ollama.flashAttention",
    }).map(([key, typed]) => [key, { typed, why: "llm sets it from the typed key, which the memory estimates, the config rules and `llm explain` read" }]),
  ),
};

/** With scaling, the instances share one models folder (modules/scaling.ts). */
const OLLAMA_WIRED_SCALED: Record<string, Wired> = {
  ...OLLAMA_WIRED,
  OLLAMA_NOPRUNE: {
    why: "with the scaling module the Ollama instances share one models folder, and llm sets it to 1 so that an instance starting while another pulls does not delete its partial files",
  },
};

/** A variable llm wires for LibreChat or Ollama, with the service whose wiring it would undo. */
export interface WiredVariable extends Wired {
  service: "LibreChat" | "Ollama";
}

/** The one list of the variables llm wires, read by the env maps' rules above, `llm init --from`
 * (what it does not carry over), `llm secrets set` and the rule for secrets.env's lines. A value
 * in secrets.env reaches LibreChat after the committed .env, so there it would undo the wiring
 * (MONGO_URI too: LibreChat reaches the stack's own MongoDB, or the one librechat.env.MONGO_URI
 * names); Ollama reads none of it. */
export function wiredVariable(name: string): WiredVariable | undefined {
  if (Object.hasOwn(LIBRECHAT_WIRED, name)) return { ...LIBRECHAT_WIRED[name]!, service: "LibreChat" };
  if (name === "MONGO_URI")
    return {
      service: "LibreChat",
      why: "LibreChat connects to the stack's own MongoDB with the generated MONGO_PASSWORD, or to yours named by librechat.env.MONGO_URI",
      typed: "librechat.env.MONGO_URI",
    };
  if (Object.hasOwn(OLLAMA_WIRED_SCALED, name)) return { ...OLLAMA_WIRED_SCALED[name]!, service: "Ollama" };
  return undefined;
}

/** MONGO_URI in librechat.env is a MongoDB outside the stack (build.ts then starts none); a password in it would be committed. */
const hasPassword = (uri: string) => /^[a-z+]+:\/\/[^/@]*:[^/@]*@/i.test(uri);

/** LibreChat never substitutes these, whatever the config says (isSensitiveEnvVar, packages/data-provider/src/utils.ts). */
const NEVER_SUBSTITUTED = new Set([
  "JWT_SECRET",
  "JWT_REFRESH_SECRET",
  "CREDS_KEY",
  "CREDS_IV",
  "MEILI_MASTER_KEY",
  "MONGO_URI",
  "REDIS_URI",
  "REDIS_PASSWORD",
]);

/** A custom endpoint's `${NAME}` must name a key of the user's own: one of the stack's secrets is
 * either never substituted (LibreChat leaves the text, "Missing API Key") or sent to a third party. */
function referenceProblems(config: ResolvedConfig, isGeneratedSecret: (name: string) => boolean, fileOf: (path: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  config.librechat.endpoints.forEach((endpoint, index) => {
    for (const field of ["apiKey", "baseURL"] as const) {
      const path = `librechat.endpoints[${index}].${field}`;
      for (const [, name] of endpoint[field].matchAll(/\$\{([^}]+)\}/g)) {
        const problem = !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name!)
          ? `\${${name}} is not a variable name (letters, digits and "_", not starting with a digit)`
          : NEVER_SUBSTITUTED.has(name!)
            ? `LibreChat never substitutes \${${name}} (one of its own secrets): ${endpoint.name} would get the text "\${${name}}"`
            : isGeneratedSecret(name!)
              ? `\${${name}} is a secret llm generates for the stack's own services: it would be sent to ${endpoint.name}`
              : undefined;
        if (problem)
          out.push({
            file: fileOf(path),
            path,
            message: problem,
            hint: `name a key of your own, e.g. \${${endpoint.name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_API_KEY}, and set it with \`llm secrets set NAME\``,
          });
      }
    }
  });
  return out;
}

/** `isGeneratedSecret`: the secrets catalog, core and modules (modules/registry.ts passes it in). */
export const envRules =
  (isGeneratedSecret: (name: string) => boolean): ConfigRule =>
  (config, _merged, fileOf) => {
    const out: Diagnostic[] = [];
    const maps = { "librechat.env": config.librechat.env, "ollama.env": config.ollama.env } as const;
    for (const [map, env] of Object.entries(maps) as [keyof typeof maps, Record<string, string>][]) {
      for (const key of Object.keys(env).sort()) {
        const path = `${map}.${key}`;
        // The committed file would hold the value, and secrets.env's (read after it) wins anyway.
        if (isGeneratedSecret(key))
          out.push({
            file: fileOf(path),
            path,
            message: `${key} is a secret llm keeps in ${SECRETS_FILE}: in ${map} its value is written to the committed ${COMMITTED_IN[map].file} and ${COMMITTED_IN[map].effect}`,
            hint: `remove ${path}; to choose the value yourself, put the line ${key}=... in ${SECRETS_FILE} (gitignored), which llm keeps when it is valid`,
          });
        const wiredMap = map === "librechat.env" ? LIBRECHAT_WIRED : config.scaling.enabled ? OLLAMA_WIRED_SCALED : OLLAMA_WIRED;
        const wired = Object.hasOwn(wiredMap, key) ? wiredMap[key] : undefined;
        if (wired)
          out.push({
            file: fileOf(path),
            path,
            message: `${key} is wired by llm${wired.typed ? ` from ${wired.typed}` : ""}: ${wired.why}`,
            hint: wired.typed ? `remove ${path} and set ${wired.typed}` : `remove ${path}`,
          });
        if (map === "librechat.env" && key === "MONGO_URI" && hasPassword(env[key]!))
          out.push({
            file: fileOf(path),
            path,
            message: `${path} holds a password, which would be written to the committed .env`,
            hint: "remove it to use the stack's own MongoDB (its password is generated into secrets.env), or connect to yours without a password in the URI",
          });
      }
    }
    return out.concat(referenceProblems(config, isGeneratedSecret, fileOf));
  };
