// `llm init` as a use case: choose presets (given, or from the hardware), check the result
// resolves, then create the config file without ever replacing one unless told to.
import { existsSync } from "node:fs";
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
import { SCHEMA_PATH, type InitFormat } from "../layout.js";

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

  // The file must resolve before it is written: a bad --preset or --model never reaches disk.
  const schema = installedSchema(path.dirname(absolute));
  const checked = resolveChecked({ file, data: initData(suggestion, format, schema.relative) });
  if (!checked.ok) return checked;

  const text = renderInitConfig(suggestion, format, schema.relative);
  try {
    if (replaced) await writeAtomic(absolute, text, 0o644);
    else await writeNew(absolute, text, 0o644);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === "EEXIST") return exists(`${file} already exists`, "keep it, or pass --force to replace it");
    return fail(
      new LlmError("WRITE_FAILED", `could not write ${file}: ${err.code ?? err.message}`, { hint: "check the folder exists and is writable", cause: error }),
    );
  }
  return ok({ file, format, suggestion, hardware, replaced, schemaFound: schema.found });
}
