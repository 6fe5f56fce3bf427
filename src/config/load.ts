// Finds and reads the user's config file. The only config code that touches the disk.
import { existsSync, readFileSync } from "node:fs";
import { load as loadYaml } from "js-yaml";
import { path } from "../util/path.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import type { ConfigSource } from "./resolve.js";
import { loadModuleConfig } from "./module-loader.js";

export const SEARCH_PLACES = [
  "llm.config.ts",
  "llm.config.mts",
  "llm.config.mjs",
  "llm.config.js",
  "llm.config.cjs",
  "llm.config.json",
  "llm.config.yaml",
  "llm.config.yml",
  "package.json",
];

export interface LoadedConfig extends ConfigSource {
  /** Absolute path, for IO only; never printed or written. */
  absolutePath: string;
}

const moduleLoader = (file: string) => loadModuleConfig(file);

async function explorer() {
  // cosmiconfig is CommonJS: its named export sits on `default` once bundled as ESM.
  const mod = (await import("cosmiconfig")) as typeof import("cosmiconfig") & { default?: typeof import("cosmiconfig") };
  const cosmiconfig = mod.cosmiconfig ?? mod.default?.cosmiconfig;
  return cosmiconfig("llm", {
    searchPlaces: SEARCH_PLACES,
    packageProp: "llm",
    searchStrategy: "none",
    cache: false,
    loaders: { ".ts": moduleLoader, ".mts": moduleLoader, ".mjs": moduleLoader },
  });
}

export function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  return (relative.startsWith("..") || path.isAbsolute(relative) ? path.basename(absolute) : relative).split(path.sep).join("/");
}

/** A loader's message on one line, without the code frame some parsers append. */
function oneLine(message: string): string {
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !/^[>|\d\s]*\|/.test(line) && !line.startsWith("^"));
  const text = lines.slice(0, 2).join(" ");
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

type DirectLoader = (file: string, text: string) => Promise<unknown>;

/** The formats read here without cosmiconfig, with the same parsers it uses (js-yaml's `load`,
 * JSON), so the results are the same; a file that does not parse goes to cosmiconfig, whose
 * messages (a code frame for JSON) users see. */
const directModule = { loader: loadModuleConfig, parseErrorsToCosmiconfig: false };
const directYaml = { loader: async (_: string, text: string) => loadYaml(text), parseErrorsToCosmiconfig: true };
const DIRECT_LOADERS: Record<string, { loader: DirectLoader; parseErrorsToCosmiconfig: boolean }> = {
  ".ts": directModule,
  ".mts": directModule,
  ".mjs": directModule,
  ".json": { loader: async (_, text) => JSON.parse(text), parseErrorsToCosmiconfig: true },
  ".yaml": directYaml,
  ".yml": directYaml,
};

/** The common case without loading cosmiconfig and its parsers (~8 ms): its search takes the
 * first of SEARCH_PLACES that exists, and every format read here comes before package.json.
 * Whatever cosmiconfig treats specially (a place it cannot read, which its search skips; an
 * empty file or export; `$import`; the wording of a parse error) is left to cosmiconfig. One
 * difference, on purpose: an error thrown by a config's own code is reported, even when its code
 * (say ENOENT) would make cosmiconfig's search skip the file and run the next one. */
async function loadDirectly(
  cwd: string,
  configPath: string | undefined,
  shown: string,
): Promise<{ filepath: string; config: unknown; isEmpty?: boolean } | undefined> {
  const filepath = configPath ? path.resolve(cwd, configPath) : path.join(cwd, shown);
  // package.json holds the config under "llm": cosmiconfig's packageProp.
  const direct = path.basename(filepath) === "package.json" ? undefined : DIRECT_LOADERS[path.extname(filepath)];
  if (!direct) return undefined;
  let text: string;
  try {
    text = readFileSync(filepath, "utf8");
  } catch {
    return undefined;
  }
  if (text.trim() === "") return undefined;
  let config: unknown;
  try {
    config = await direct.loader(filepath, text);
  } catch (error) {
    if (direct.parseErrorsToCosmiconfig) return undefined;
    throw error;
  }
  const special = config === undefined || config === null || (typeof config === "object" && Object.hasOwn(config, "$import"));
  return special ? undefined : { filepath, config };
}

/** `configPath` picks a file; otherwise the first of SEARCH_PLACES in `cwd` is used. */
export async function loadConfig(cwd: string, configPath?: string): Promise<Result<LoadedConfig>> {
  const shown = configPath
    ? displayPath(cwd, path.resolve(cwd, configPath))
    : (SEARCH_PLACES.find((name) => existsSync(path.join(cwd, name))) ?? "llm.config.ts");
  try {
    const found =
      (await loadDirectly(cwd, configPath, shown)) ??
      (configPath ? await (await explorer()).load(path.resolve(cwd, configPath)) : await (await explorer()).search(cwd));
    if (!found) {
      return fail(
        new LlmError("CONFIG_NOT_FOUND", `no config found in this folder (looked for ${SEARCH_PLACES.join(", ")})`, {
          hint: "run `llm init` to create llm.config.ts, or pass --config PATH",
        }),
      );
    }
    const file = displayPath(cwd, found.filepath);
    if (found.isEmpty) {
      return fail(new LlmError("CONFIG_INVALID", `${file} is empty`, { hint: 'export default defineConfig({ models: ["llama3.2:3b"] })' }));
    }
    return ok({ file, data: found.config, absolutePath: found.filepath });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === "ENOENT") {
      return fail(new LlmError("CONFIG_NOT_FOUND", `${shown} does not exist`, { hint: "check the --config path, or run `llm init`" }));
    }
    const syntax = error instanceof SyntaxError || err.name === "YAMLException" || err.name === "JSONError";
    const hint = syntax ? "fix the syntax error at the place named above" : "the config's code threw while loading: fix it so the file only exports the config";
    return fail(
      new LlmError("CONFIG_LOAD_FAILED", `${shown} could not be loaded: ${oneLine(err.message).split(`${cwd}${path.sep}`).join("")}`, { hint, cause: error }),
    );
  }
}
