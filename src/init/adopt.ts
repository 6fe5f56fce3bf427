// `llm init --from DIR`: a LibreChat folder run from LibreChat's own docker-compose.yml, .env
// and librechat.yaml, read into a config that reproduces it and the secrets it must keep. Pure:
// the texts come in, the config's data, the secrets (values exactly as LibreChat read them), the
// data moves and everything that has no place in the config come out. Nothing is dropped
// silently: every setting is mapped, carried as it is, kept as a secret or listed.
import { load } from "js-yaml";
import { looksRandom, secretName } from "../diff/foreign-secrets.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { parseDotenv } from "../secrets/dotenv.js";
import { parseLibreChatEnv } from "../secrets/librechat-dotenv.js";
import { wiredVariable } from "../stack/env-rules.js";
import { catalogImage, tagVersion } from "../stack/images.js";
import { CORE_SECRET_SPECS } from "../stack/secret-specs.js";
import { sha256Hex } from "../util/sha256.js";

export interface AdoptSource {
  /** The folder relative to where llm runs (`../LibreChat`), for messages and `mv`. */
  dir: string;
  /** The folder's absolute path: `docker run -v` takes no relative host path. */
  absoluteDir: string;
  compose: string | null;
  env: string | null;
  librechatYaml: string | null;
}

/** A setting of the folder that the config does not reproduce, and why. Names and paths only. */
interface Unmapped {
  file: string;
  path: string;
  reason: string;
}

export interface Adoption {
  config: Record<string, unknown>;
  /** Why a value is what it is (image versions, the Meilisearch pin), for the config's comments. */
  notes: string[];
  /** secrets.env's lines, in order: LibreChat's own secrets, then provider keys and the rest. */
  secrets: [string, string][];
  unmapped: Unmapped[];
  /** Shell commands that move the folder's data to where the generated stack reads it. */
  moves: string[];
  /** Variables left out because they are empty (LibreChat reads an empty value as unset). */
  emptySkipped: number;
}

const ENV = ".env";
const COMPOSE = "docker-compose.yml";
const YAML = "librechat.yaml";

/** Variables the generated stack has no use for; those it wires itself are env-rules.ts' list. */
const NOT_CARRIED: Record<string, string> = {
  RAG_PORT: "read by no LibreChat code",
  UID: "the generated services run as their images' users",
  GID: "the generated services run as their images' users",
};

/** SHA-256 of the values LibreChat's `.env.example` ships (v0.8.7 `.env.example:414-415,498,594-595`):
 * a folder that kept them has secrets anyone can look up. Hashes, so no scanner takes this file
 * for one holding keys. */
const PUBLISHED = new Map<string, string>([
  ["CREDS_KEY", "7c1154b5152983978147ea87e4a2066d4768673e9d85d6a792cddc2f784efd2f"],
  ["CREDS_IV", "06d2e911edb4d45985b9d6338ec3d4c6b4bde69f8143437797c187ab07085531"],
  ["JWT_SECRET", "69024f21e9ad17594dcccd93e87399af24a5426ccfe6108d1787f0335966abc4"],
  ["JWT_REFRESH_SECRET", "282ad5f60261639fefed381976b4d0dde52eab5527a1ab2ec75d5be1efa1165b"],
  ["MEILI_MASTER_KEY", "c042516e4eac1bafaa3027eb7ea04103fdfb652583eeb916124aebe882e9cefb"],
]);

const GENERATED_SECRETS = new Set(CORE_SECRET_SPECS.map((spec) => spec.name).filter((name) => name !== "MONGO_PASSWORD"));

const truthy = (value: string) => value.trim().toLowerCase() === "true";
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const envName = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

function parseYaml(text: string | null, file: string): Result<Record<string, unknown> | null> {
  if (text === null) return ok(null);
  try {
    const value = load(text);
    if (value === undefined || value === null) return ok(null);
    if (!isRecord(value)) return fail(new LlmError("CONFIG_INVALID", `${file} is not a YAML mapping`, { hint: `check ${file} is LibreChat's own` }));
    return ok(value);
  } catch (error) {
    // js-yaml's message quotes the lines around the mistake, which may hold a key: only its position is named.
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    return fail(
      new LlmError("CONFIG_INVALID", `${file} could not be read as YAML${mark ? ` (line ${mark.line + 1}, column ${mark.column + 1})` : ""}`, {
        hint: `fix ${file}, then run \`llm init --from\` again`,
      }),
    );
  }
}

/** `${PORT}`, `${PORT:-3080}` and `$PORT` resolved from the folder's .env, as Compose does. */
function interpolate(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const value = env.get((braced ?? bare) as string);
      return value !== undefined && value !== "" ? value : (fallback ?? "");
    },
  );
}

interface ComposeService {
  name: string;
  image: string;
  ports: string[];
  volumes: { source: string; target: string }[];
  command: string;
}

function servicesOf(compose: Record<string, unknown> | null, env: ReadonlyMap<string, string>): ComposeService[] {
  const services = isRecord(compose?.["services"]) ? compose["services"] : {};
  return Object.entries(services).flatMap(([name, raw]) => {
    if (!isRecord(raw)) return [];
    const list = (value: unknown) => (Array.isArray(value) ? value : []);
    const volumes = list(raw["volumes"]).flatMap((volume) => {
      if (typeof volume === "string") {
        const [source = "", target = ""] = interpolate(volume, env).split(":");
        return [{ source, target }];
      }
      if (isRecord(volume) && typeof volume["source"] === "string" && typeof volume["target"] === "string")
        return [{ source: volume["source"], target: volume["target"] }];
      return [];
    });
    const command = Array.isArray(raw["command"]) ? raw["command"].join(" ") : typeof raw["command"] === "string" ? raw["command"] : "";
    return [
      {
        name,
        image: typeof raw["image"] === "string" ? interpolate(raw["image"], env) : "",
        ports: list(raw["ports"]).map((port) => interpolate(String(port), env)),
        volumes,
        command,
      },
    ];
  });
}

const imageName = (image: string) => image.split("@")[0]?.replace(/:[^:/]*$/, "") ?? "";
const pinned = (image: string) => /:[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(image.split("@")[0] ?? "") && !image.endsWith(":latest") && /^[a-z0-9]/.test(image);

/** A path of the old folder as seen from where llm runs (`dir` is relative to it). */
const fromDir = (dir: string, source: string) => {
  const rest = source.replace(/^\.\//, "");
  return dir === "." ? rest : `${dir.replace(/\/$/, "")}/${rest}`;
};

const shellQuote = (text: string) => (/^[A-Za-z0-9_./:=@-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`);

export function adoptLibreChat(source: AdoptSource): Result<Adoption> {
  if (source.compose === null && source.env === null && source.librechatYaml === null) {
    return fail(
      new LlmError("CONFIG_NOT_FOUND", `${source.dir} holds none of LibreChat's files (${COMPOSE}, ${ENV}, ${YAML})`, {
        hint: "name the folder you run LibreChat from: llm init --from ~/LibreChat",
      }),
    );
  }
  const composeYaml = parseYaml(source.compose, `${source.dir}/${COMPOSE}`);
  if (!composeYaml.ok) return composeYaml;
  const librechatYaml = parseYaml(source.librechatYaml, `${source.dir}/${YAML}`);
  if (!librechatYaml.ok) return librechatYaml;

  const unmapped: Unmapped[] = [];
  const notes: string[] = [];
  const moves: string[] = [];
  const secrets = new Map<string, string>();
  const librechat: Record<string, unknown> = {};
  const carried: Record<string, string> = {};
  const config: Record<string, unknown> = {};
  let emptySkipped = 0;

  // .env as LibreChat's dotenv reads it: the last line of a name wins.
  const env = new Map<string, string>();
  for (const entry of parseLibreChatEnv(source.env ?? "")) env.set(entry.key, entry.value);

  const services = servicesOf(composeYaml.value, env);
  const api = services.find((s) => /librechat(-dev)?$/.test(imageName(s.image)) || s.name === "api");
  const port = Number(env.get("PORT") ?? "3080");

  for (const [name, value] of env) {
    if (value === "") {
      emptySkipped++;
      continue;
    }
    if (GENERATED_SECRETS.has(name)) {
      secrets.set(name, value);
      continue;
    }
    switch (name) {
      case "PORT":
        if (Number.isInteger(port) && port > 0 && port < 65536) librechat["port"] = port;
        else unmapped.push({ file: ENV, path: name, reason: "not a port number" });
        continue;
      case "APP_TITLE":
        librechat["title"] = value;
        continue;
      case "ALLOW_REGISTRATION":
        librechat["registration"] = truthy(value);
        continue;
      case "SEARCH":
        librechat["search"] = truthy(value);
        continue;
      case "DOMAIN_CLIENT":
        if (value !== `http://localhost:${port}` && /^https?:\/\/\S+$/.test(value)) librechat["domain"] = value;
        continue;
      case "DOMAIN_SERVER":
        // The generated stack sets it from librechat.domain, as DOMAIN_CLIENT: the same address
        // needs nothing, another one has no place.
        if (value === (env.get("DOMAIN_CLIENT") ?? `http://localhost:${port}`) || value === `http://localhost:${port}`) continue;
    }
    // Before the secrets: a wired value (REDIS_URI=redis://:pw@...) in secrets.env would reach
    // LibreChat after the committed .env and undo the wiring (the secrets.env rule refuses it).
    const wired = wiredVariable(name);
    if (wired !== undefined) {
      unmapped.push({ file: ENV, path: name, reason: `not carried over: llm wires it${wired.typed ? ` from ${wired.typed}` : ""}: ${wired.why}` });
      continue;
    }
    if (Object.hasOwn(NOT_CARRIED, name)) {
      unmapped.push({ file: ENV, path: name, reason: `not carried over: ${NOT_CARRIED[name]}` });
      continue;
    }
    if ((secretName(name) || looksRandom(value)) && value !== "user_provided") {
      secrets.set(name, value);
      continue;
    }
    // A password inside a URL (MONGO_URI=mongodb://user:PW@...) is a secret too.
    if (/[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:[^\s@/]+@/i.test(value)) {
      secrets.set(name, value);
      continue;
    }
    if (!envName(name)) {
      unmapped.push({ file: ENV, path: name, reason: "not a name librechat.env can hold" });
      continue;
    }
    carried[name] = value;
  }
  if (env.has("MONGO_URI") && /:\/\/[^/@]+@/.test(env.get("MONGO_URI") ?? "")) {
    unmapped.push({
      file: ENV,
      path: "MONGO_URI",
      reason: "MongoDB with its own user: llm creates its user librechat on a new data folder only; create it by hand (README: Upgrading)",
    });
  }

  // docker-compose.yml: ports, images, data.
  const catalogMongo = catalogImage("mongodb").image;
  const catalogMeili = catalogImage("meilisearch").image;
  const catalogLibrechat = catalogImage("librechat").image;
  for (const service of services) {
    const at = `services.${service.name}`;
    if (service === api) {
      if (pinned(service.image) && imageName(service.image) === imageName(catalogLibrechat)) {
        librechat["image"] = service.image;
        notes.push(`librechat.image: ${service.image}, the version this folder ran (llm's own pin is ${catalogLibrechat})`);
      } else {
        notes.push(
          `LibreChat: this folder ran ${service.image || "no pinned image"}${pinned(service.image) ? "" : " (a moving tag)"}; the config uses llm's pin ${catalogLibrechat}`,
        );
      }
      const published = service.ports.map((p) => p.split(":"));
      const first = published[0];
      if (first && first.length === 3) config["bindAddress"] = first[0];
      else if (first && first.length === 2) {
        // Compose publishes a port without an address on every interface.
        config["bindAddress"] = "0.0.0.0";
        notes.push(`bindAddress: "0.0.0.0" as in ${COMPOSE} (published on every interface); "127.0.0.1" keeps LibreChat to this machine`);
      }
      const hostPort = first ? Number(first[first.length - 2]) : NaN;
      if (Number.isInteger(hostPort) && hostPort > 0 && hostPort < 65536) librechat["port"] = hostPort;
      for (const volume of service.volumes) {
        const named = { "/app/uploads": "librechat-uploads", "/app/client/public/images": "librechat-images", "/app/skill": "librechat-skill" }[volume.target];
        if (volume.target === "/app/.env") continue;
        if (volume.target === "/app/logs") {
          unmapped.push({
            file: COMPOSE,
            path: `${at}.volumes ${volume.source}`,
            reason: "logs are not moved: the generated stack keeps new logs in a volume of its own",
          });
        } else if (named !== undefined && volume.source.startsWith(".")) {
          // Mounted where the stack mounts it, so that the volume starts as the image's own folder
          // (owned by its user, node) and the copy runs as that user.
          moves.push(
            `docker run --rm --entrypoint sh -v ${shellQuote(`${fromDir(source.absoluteDir, volume.source)}:/from:ro`)} -v llm-stack_${named}:${volume.target} ${catalogLibrechat} -c 'cp -a /from/. ${volume.target}/'`,
          );
        } else if (volume.target !== "/app/librechat.yaml") {
          unmapped.push({
            file: COMPOSE,
            path: `${at}.volumes ${volume.source}`,
            reason: `mounted at ${volume.target}, which the generated stack does not mount`,
          });
        }
      }
      continue;
    }
    if (/(^|\/)mongo$/.test(imageName(service.image))) {
      const ran = tagVersion(service.image);
      const ours = tagVersion(catalogMongo);
      if (ran && ours && ran[0] === ours[0] && ran[1] === ours[1]) {
        notes.push(`MongoDB: this folder ran ${service.image}; llm's ${catalogMongo} is the same ${ours[0]}.${ours[1]} series, which opens its data`);
      } else if (pinned(service.image)) {
        config["mongodb"] = { ...(config["mongodb"] as object), image: service.image };
        notes.push(
          `mongodb.image: ${service.image}, the version this folder ran: MongoDB opens only its own release series' data (llm's pin is ${catalogMongo}; upgrade one major at a time)`,
        );
      }
      if (/--noauth/.test(service.command) || !/:\/\/[^/@]+@/.test(env.get("MONGO_URI") ?? "")) {
        config["mongodb"] = { ...(config["mongodb"] as object), auth: false };
        notes.push("mongodb.auth: false, as LibreChat's compose runs it (`mongod --noauth`): its data folder has no user yet");
      }
      const data = service.volumes.find((v) => v.target === "/data/db");
      if (data && data.source.startsWith(".")) {
        const series = (config["mongodb"] as { image?: string } | undefined)?.image ?? catalogMongo;
        const v = tagVersion(series);
        moves.push(`mkdir -p data && mv ${shellQuote(fromDir(source.dir, data.source))} data/mongodb-${v ? `${v[0]}.${v[1] ?? 0}` : "8.0"}`);
      }
      continue;
    }
    if (/(^|\/)meilisearch$/.test(imageName(service.image))) {
      if (pinned(service.image)) {
        config["meilisearch"] = { image: service.image };
        notes.push(
          `meilisearch.image: ${service.image}, the version this folder ran, pinned so that it does not change silently: every Meilisearch version change of an existing index is a one-way migration (llm's pin is ${catalogMeili})`,
        );
      }
      const data = service.volumes.find((v) => v.target === "/meili_data");
      const version = pinned(service.image) ? service.image.split(":").pop() : catalogMeili.split(":").pop();
      if (data && data.source.startsWith(".")) moves.push(`mkdir -p data && mv ${shellQuote(fromDir(source.dir, data.source))} data/meilisearch-${version}`);
      continue;
    }
    if (imageName(service.image).endsWith("ollama/ollama")) {
      unmapped.push({ file: COMPOSE, path: at, reason: "the generated stack runs its own ollama service: its models are pulled again (`llm models sync`)" });
      continue;
    }
    if (service.name === "rag_api" || service.name === "vectordb" || /rag-api|pgvector/.test(service.image)) {
      unmapped.push({
        file: COMPOSE,
        path: at,
        reason:
          "RAG is the rag module (rag: { enabled: true }), which embeds with Ollama; the vectors in this folder's database were made by another embedding setup and are not reused: upload the files again",
      });
      continue;
    }
    unmapped.push({
      file: COMPOSE,
      path: at,
      reason: `a service the generated stack does not run (${service.image || "no image"}); docker-compose.override.yml can add it`,
    });
  }

  // librechat.yaml: the custom endpoints; the rest is listed.
  const yaml = librechatYaml.value;
  if (yaml) {
    for (const key of Object.keys(yaml)) {
      if (key === "version") continue;
      if (key !== "endpoints") unmapped.push({ file: YAML, path: key, reason: "not a setting of llm's config" });
    }
    const endpoints = isRecord(yaml["endpoints"]) ? yaml["endpoints"] : {};
    for (const key of Object.keys(endpoints))
      if (key !== "custom") unmapped.push({ file: YAML, path: `endpoints.${key}`, reason: "only custom endpoints are in llm's config" });
    const custom = Array.isArray(endpoints["custom"]) ? endpoints["custom"] : [];
    const mapped: Record<string, unknown>[] = [];
    const models: string[] = [];
    custom.forEach((raw, index) => {
      const at = `endpoints.custom[${index}]`;
      if (!isRecord(raw) || typeof raw["name"] !== "string") {
        unmapped.push({ file: YAML, path: at, reason: "an endpoint without a name" });
        return;
      }
      const name = raw["name"];
      const where = `${at} (${name})`;
      const extra = Object.keys(raw).filter((k) => !["name", "apiKey", "baseURL", "models", "titleConvo", "titleModel", "modelDisplayLabel"].includes(k));
      for (const k of extra) unmapped.push({ file: YAML, path: `${where}.${k}`, reason: "not a setting of llm's endpoints" });
      const list =
        isRecord(raw["models"]) && Array.isArray(raw["models"]["default"]) ? raw["models"]["default"].filter((m): m is string => typeof m === "string") : [];
      if (/^ollama/i.test(name)) {
        models.push(...list);
        if (name !== "Ollama") librechat["ollamaEndpointName"] = name;
        if (typeof raw["titleModel"] === "string" && raw["titleModel"] !== "current_model") librechat["titleModel"] = raw["titleModel"];
        notes.push(
          `models: the models of the "${name}" endpoint, which reached Ollama at ${String(raw["baseURL"] ?? "?")}; the generated stack runs its own Ollama and pulls them there`,
        );
        return;
      }
      const baseURL = typeof raw["baseURL"] === "string" ? interpolate(raw["baseURL"], env) : "";
      if (!/^https?:\/\/\S+$/.test(baseURL) || list.length === 0) {
        unmapped.push({ file: YAML, path: where, reason: list.length === 0 ? "no models.default list" : "its baseURL is not an http(s) URL" });
        return;
      }
      let apiKey = typeof raw["apiKey"] === "string" ? raw["apiKey"] : "user_provided";
      const reference = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(apiKey);
      if (reference) {
        const variable = reference[1] ?? "";
        if (!secrets.has(variable)) {
          const value = env.get(variable);
          if (value !== undefined && value !== "") secrets.set(variable, value);
          else
            unmapped.push({
              file: YAML,
              path: `${where}.apiKey`,
              reason: `references \${${variable}}, which ${ENV} does not set: set it with \`llm secrets set ${variable}\``,
            });
        }
        delete carried[variable];
      } else if (apiKey !== "user_provided") {
        // A key written into librechat.yaml itself goes to secrets.env under a name of its own.
        let variable = `${
          name
            .toUpperCase()
            .replace(/[^A-Z0-9]+/g, "_")
            .replace(/^_+|_+$/g, "") || "ENDPOINT"
        }_API_KEY`;
        if (/^[0-9]/.test(variable)) variable = `ENDPOINT_${variable}`;
        while ((secrets.has(variable) && secrets.get(variable) !== apiKey) || env.has(variable)) variable = `${variable}_2`;
        secrets.set(variable, apiKey);
        apiKey = `\${${variable}}`;
      }
      const endpoint: Record<string, unknown> = {
        name,
        apiKey,
        baseURL,
        models: {
          default: [...new Set(list)],
          ...(isRecord(raw["models"]) && typeof raw["models"]["fetch"] === "boolean" ? { fetch: raw["models"]["fetch"] } : {}),
        },
      };
      if (typeof raw["titleConvo"] === "boolean") endpoint["titleConvo"] = raw["titleConvo"];
      if (typeof raw["titleModel"] === "string" && raw["titleModel"] !== "") endpoint["titleModel"] = raw["titleModel"];
      if (typeof raw["modelDisplayLabel"] === "string" && raw["modelDisplayLabel"] !== "") endpoint["modelDisplayLabel"] = raw["modelDisplayLabel"];
      mapped.push(endpoint);
    });
    if (models.length > 0) config["models"] = [...new Set(models)];
    if (mapped.length > 0) librechat["endpoints"] = mapped;
  }

  const published = [...secrets].filter(([name, value]) => PUBLISHED.get(name) === sha256Hex(value)).map(([name]) => name);
  if (published.length > 0) {
    notes.push(
      `${published.join(", ")} ${published.length === 1 ? "is" : "are"} the value${published.length === 1 ? "" : "s"} LibreChat's .env.example publishes: kept, because what they protect needs them, but anyone can look them up; \`llm secrets rotate NAME\` replaces one (CREDS_KEY/CREDS_IV: users enter their stored API keys again; JWT: everyone signs in again)`,
    );
  }
  // Compose reads the same .env for `${VAR}` (Meilisearch's MEILI_MASTER_KEY comes that way): a
  // secret it reads otherwise than LibreChat is kept as LibreChat read it, and said.
  const composeRead = new Map(parseDotenv(source.env ?? "").entries.map((entry) => [entry.key, entry.value]));
  for (const name of secrets.keys()) {
    const other = composeRead.get(name);
    if (other !== undefined && env.has(name) && other !== env.get(name))
      unmapped.push({
        file: ENV,
        path: name,
        reason: "Compose and LibreChat's dotenv read it differently (a # or backquotes): secrets.env keeps LibreChat's reading; check it",
      });
  }
  if (Object.keys(carried).length > 0) librechat["env"] = Object.fromEntries(Object.entries(carried).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (Object.keys(librechat).length > 0) config["librechat"] = librechat;
  const ordered = [...[...secrets].filter(([name]) => GENERATED_SECRETS.has(name)), ...[...secrets].filter(([name]) => !GENERATED_SECRETS.has(name))];
  return ok({ config: orderConfig(config), notes, secrets: ordered, unmapped, moves, emptySkipped });
}

/** The keys in the order `llm init` writes them. */
function orderConfig(config: Record<string, unknown>): Record<string, unknown> {
  const order = ["models", "bindAddress", "librechat", "mongodb", "meilisearch"];
  return Object.fromEntries(order.filter((key) => key in config).map((key) => [key, config[key]]));
}
