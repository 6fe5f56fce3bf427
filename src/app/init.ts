// `llm init` as a use case: choose presets (given, or from the hardware), check the result
// resolves, then create the config file without ever replacing one unless told to.
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { path } from "../util/path.js";
import { SEARCH_PLACES, displayPath } from "../config/load.js";
import { detectHardware, type Hardware } from "../init/detect.js";
import { defaultFileName, formatOf, initData, renderInitConfig } from "../init/render.js";
import { MODELS, suggest, type Suggestion } from "../init/suggest.js";
import { resolveChecked } from "../pipeline.js";
import type { PresetName } from "../config/types.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { realHost } from "../host/real.js";
import type { HostProbe } from "../host/types.js";
import { writeAtomic, writeNew } from "../io/files.js";
import { SCHEMA_PATH, SECRETS_FILE, type InitFormat } from "../layout.js";
import { adoptLibreChat, type Adoption } from "../init/adopt.js";
import { renderAdoptedConfig } from "../init/adopt-render.js";
import { envValue } from "../render/format.js";
import { secretsHeader } from "../secrets/store.js";

export interface InitRequest {
  cwd: string;
  /** --config: the file to write; its extension picks the format unless --format is given. */
  target?: string;
  format?: InitFormat;
  presets?: string[];
  models?: string[];
  force: boolean;
  /** The machine to detect; absent: this one. */
  host?: HostProbe;
  /** --from: a LibreChat folder (its docker-compose.yml, .env, librechat.yaml) to adopt. */
  from?: string;
}

export interface InitReport {
  file: string;
  format: InitFormat;
  suggestion: Suggestion;
  /** null when presets were given with --preset (nothing was detected). */
  hardware: Hardware | null;
  replaced: boolean;
  /** Whether the `$schema` a JSON/YAML config points at exists yet (the package is installed). */
  schemaFound: boolean;
  /** With --from: what was adopted (secret values stay in the file written, never in a report). */
  adopted?: { secretsFile: string; secretNames: string[]; unmapped: Adoption["unmapped"]; moves: string[]; notes: string[]; emptySkipped: number };
}

/** The installed package's schema as the config's folder reaches it: node_modules in that folder
 * or the nearest one above (as Node resolves the package), so a config in `deploy/` gets
 * `../node_modules/…`. Not installed yet: the path `npm i -D local-llm-stack` beside it creates. */
function installedSchema(configDir: string): { relative: string; found: boolean } {
  const inPackage = SCHEMA_PATH.replace(/^\.\//, "");
  for (let dir = configDir; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ...inPackage.split("/")))) {
      const relative = path
        .relative(configDir, path.join(dir, ...inPackage.split("/")))
        .split(path.sep)
        .join("/");
      return { relative: relative.startsWith("..") ? relative : `./${relative}`, found: true };
    }
    if (path.dirname(dir) === dir) return { relative: SCHEMA_PATH, found: false };
  }
}

function exists(message: string, hint: string): Result<never> {
  return fail(new LlmError("CONFIG_EXISTS", message, { hint }));
}

export async function runInit(request: InitRequest): Promise<Result<InitReport>> {
  const format = request.format ?? (request.target ? formatOf(request.target) : undefined) ?? "ts";
  const absolute = path.resolve(request.cwd, request.target ?? defaultFileName(format));
  const file = displayPath(request.cwd, absolute);
  if (request.from !== undefined && format !== "ts") {
    return fail(new LlmError("USAGE", "llm init --from writes a TypeScript config", { hint: "drop --format, or name the file llm.config.ts" }));
  }
  if (request.target && formatOf(request.target) !== format) {
    return fail(new LlmError("USAGE", `${file} does not end in .${format}`, { hint: `name the file llm.config.${format}, or drop --format` }));
  }

  const replaced = existsSync(absolute);
  if (replaced && !request.force) return exists(`${file} already exists`, "keep it, or pass --force to replace it");
  if (!request.target) {
    const other = SEARCH_PLACES.filter((name) => name !== "package.json" && path.resolve(request.cwd, name) !== absolute).find((name) =>
      existsSync(path.join(request.cwd, name)),
    );
    if (other) return exists(`${other} already exists and would be used instead of ${file}`, `edit ${other}, or remove it before \`llm init\``);
  }

  const hardware = request.presets ? null : await detectHardware(request.host ?? realHost());
  const suggestion: Suggestion = hardware
    ? suggest(hardware)
    : {
        presets: request.presets as PresetName[],
        models: [MODELS.default],
        mongodbAvx: undefined,
        reasons: [`presets chosen with --preset: ${request.presets?.join(", ")}`],
      };
  if (request.models && request.models.length > 0) {
    suggestion.models = [...request.models];
    suggestion.reasons = [...suggestion.reasons.filter((r) => !r.startsWith("model ")), `models chosen with --model: ${request.models.join(", ")}`];
  }

  let adoption: Adoption | undefined;
  const schema = installedSchema(path.dirname(absolute));
  let data = initData(suggestion, format, schema.relative);
  const secretsPath = path.join(path.dirname(absolute), SECRETS_FILE);
  if (request.from !== undefined) {
    const adopted = await readLibreChat(request.cwd, request.from);
    if (!adopted.ok) return adopted;
    adoption = adopted.value;
    // The adopted folder's own models replace the suggestion's (not --model); presets still come
    // from the hardware or --preset.
    const explicitModels = request.models !== undefined && request.models.length > 0;
    const { models: adoptedModels, ...adoptedRest } = adoption.config;
    data = { ...data, ...adoptedRest };
    if (adoptedModels && !explicitModels) {
      data["models"] = adoptedModels;
      suggestion.models = adoptedModels as string[];
    }
    // secrets.env is never replaced: it may be the only copy of a CREDS_KEY.
    if (existsSync(secretsPath)) {
      return exists(
        `${displayPath(request.cwd, secretsPath)} already exists`,
        `run \`llm init --from\` in a new folder, or copy the lines you need into ${SECRETS_FILE} by hand (llm never replaces a secrets file)`,
      );
    }
  }

  // The file must resolve before it is written: a bad --preset or --model never reaches disk.
  const checked = resolveChecked({ file, data });
  if (!checked.ok) return checked;

  const text = adoption ? renderAdoptedConfig(adoption, data, suggestion.reasons) : renderInitConfig(suggestion, format, schema.relative);
  try {
    if (adoption) await writeNew(secretsPath, secretsText(adoption), 0o600);
    try {
      if (replaced) await writeAtomic(absolute, text, 0o644);
      else await writeNew(absolute, text, 0o644);
    } catch (error) {
      // Nothing half-done: the secrets file goes with the config it belongs to.
      if (adoption) await rm(secretsPath, { force: true });
      throw error;
    }
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === "EEXIST")
      return exists(`${err.path && err.path === secretsPath ? SECRETS_FILE : file} already exists`, "keep it, or pass --force to replace it");
    return fail(
      new LlmError("WRITE_FAILED", `could not write ${file}: ${err.code ?? err.message}`, { hint: "check the folder exists and is writable", cause: error }),
    );
  }
  const adopted = adoption && {
    secretsFile: displayPath(request.cwd, secretsPath),
    secretNames: adoption.secrets.map(([name]) => name),
    unmapped: adoption.unmapped,
    moves: adoption.moves,
    notes: adoption.notes,
    emptySkipped: adoption.emptySkipped,
  };
  return ok({ file, format, suggestion, hardware, replaced, schemaFound: schema.found, ...(adopted ? { adopted } : {}) });
}

const COMPOSE_FILES = ["docker-compose.yml", "docker-compose.yaml", "compose.yaml", "compose.yml"];

async function readOptional(file: string): Promise<Result<string | null>> {
  try {
    return ok(await readFile(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return ok(null);
    return fail(
      new LlmError("READ_FAILED", `could not read ${file}: ${code ?? (error as Error).message}`, { hint: "check the file's permissions", cause: error }),
    );
  }
}

async function readLibreChat(cwd: string, from: string): Promise<Result<Adoption>> {
  const dir = path.resolve(cwd, from);
  // Relative even when outside (`../LibreChat`): the moves printed name it from here.
  const shown = path.relative(cwd, dir).split(path.sep).join("/") || ".";
  const read = async (names: readonly string[]) => {
    for (const name of names) {
      const text = await readOptional(path.join(dir, name));
      if (!text.ok || text.value !== null) return text;
    }
    return ok(null);
  };
  const compose = await read(COMPOSE_FILES);
  if (!compose.ok) return compose;
  const env = await read([".env"]);
  if (!env.ok) return env;
  const librechatYaml = await read(["librechat.yaml", "librechat.yml"]);
  if (!librechatYaml.ok) return librechatYaml;
  return adoptLibreChat({ dir: shown, absoluteDir: dir.split(path.sep).join("/"), compose: compose.value, env: env.value, librechatYaml: librechatYaml.value });
}

/** secrets.env as llm starts it, then the adopted values exactly as LibreChat read them. */
function secretsText(adoption: Adoption): string {
  const lines = adoption.secrets.map(([name, value]) => `${name}=${envValue(value)}`);
  return `${secretsHeader()}# Adopted by \`llm init --from\` from a LibreChat .env and librechat.yaml, values unchanged.\n${lines.join("\n")}\n`;
}
