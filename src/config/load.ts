// Finds and reads the user's config file. The only config code that touches the disk, with
// module-loader.ts.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { load as loadYaml } from "js-yaml";
import { path } from "../util/path.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { withTimeLimit } from "../util/time-limit.js";
import { mib } from "../util/bytes.js";
import type { ConfigSource } from "./resolve.js";
import { ConfigTimeout, loadModuleConfig } from "./module-loader.js";

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

/** A config is data for a handful of services: 8 MB holds 100,000 models with room to spare, and
 * a bigger file is a mistake (a log, a dump) rather than a config. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

const DEFAULT_TIME_LIMIT_MS = 30_000;
let timeLimitMs = DEFAULT_TIME_LIMIT_MS;

/** The time a config may take to load (its own code included). The CLI sets it from
 * LLM_CONFIG_TIMEOUT; the library keeps 30 s. */
export function setConfigTimeLimit(ms: number): void {
  timeLimitMs = ms;
}

/** LLM_CONFIG_TIMEOUT in seconds (decimals allowed); undefined when unset, an error when not a positive number. */
export function configTimeLimitFrom(env: Record<string, string | undefined>): Result<number> {
  const text = env["LLM_CONFIG_TIMEOUT"];
  if (text === undefined || text === "") return ok(DEFAULT_TIME_LIMIT_MS);
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return fail(
      new LlmError("USAGE", `LLM_CONFIG_TIMEOUT must be a number of seconds greater than 0, found ${JSON.stringify(text.slice(0, 40))}`, {
        hint: "e.g. LLM_CONFIG_TIMEOUT=60, or unset it for the default of 30 s",
      }),
    );
  }
  return ok(Math.round(seconds * 1000));
}

// A config must be an ordinary file of bounded size: a FIFO would block forever, a device such as
// /dev/zero never ends, a huge file exhausts memory before anything can be said.
type RegularFileProblem =
  | { kind: "missing"; link: boolean }
  | { kind: "loop" }
  | { kind: "folder" }
  | { kind: "not-regular"; what: string }
  /** `exact`: the size the file reports; otherwise it kept growing past `bytes` while read. */
  | { kind: "too-large"; bytes: number; exact: boolean }
  | { kind: "unreadable"; error: NodeJS.ErrnoException };

type RegularFileRead = { ok: true; text: string } | { ok: false; problem: RegularFileProblem };

function whatIs(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

const isLink = (file: string) => lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() === true;

/** The file's text, or why it cannot be a config. Opened without blocking (a FIFO with no writer
 * would otherwise wait forever) and judged by fstat of that very descriptor, so it cannot be
 * swapped between the check and the read. */
function readRegularFile(file: string, maxBytes: number): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return { ok: false, problem: { kind: "missing", link: isLink(file) } };
    if (err.code === "ELOOP") return { ok: false, problem: { kind: "loop" } };
    if (err.code === "EISDIR") return { ok: false, problem: { kind: "folder" } };
    return { ok: false, problem: { kind: "unreadable", error: err } };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { ok: false, problem: { kind: "folder" } };
    if (!stats.isFile()) return { ok: false, problem: { kind: "not-regular", what: whatIs(stats) } };
    if (stats.size > maxBytes) return { ok: false, problem: { kind: "too-large", bytes: stats.size, exact: true } };
    // Read up to one byte past the limit: a file that grows, or reports size 0 (/proc), is still bounded.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stats.size + 1, 64 * 1024)));
    let length = 0;
    let chunk = buffer;
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length > maxBytes) return { ok: false, problem: { kind: "too-large", bytes: maxBytes, exact: false } };
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, chunk.length * 2));
        chunk.copy(grown, 0, 0, length);
        chunk = grown;
      }
      const read = readSync(fd, chunk, length, chunk.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return { ok: false, problem: { kind: "too-large", bytes: maxBytes, exact: false } };
    return { ok: true, text: chunk.toString("utf8", 0, length) };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === "EISDIR") return { ok: false, problem: { kind: "folder" } };
    return { ok: false, problem: { kind: "unreadable", error: err } };
  } finally {
    closeSync(fd);
  }
}

export interface LoadedConfig extends ConfigSource {
  /** Absolute path, for IO only; never printed or written. */
  absolutePath: string;
}

async function explorer(deadline: number) {
  // cosmiconfig is CommonJS: its named export sits on `default` once bundled as ESM.
  const mod = (await import("cosmiconfig")) as typeof import("cosmiconfig") & { default?: typeof import("cosmiconfig") };
  const cosmiconfig = mod.cosmiconfig ?? mod.default?.cosmiconfig;
  const moduleLoader = (file: string, content: string) => loadModuleConfig(file, content, { deadline });
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

type DirectLoader = (file: string, text: string, deadline: number) => Promise<unknown>;

/** The formats read here without cosmiconfig, with the same parsers it uses (js-yaml's `load`,
 * JSON), so the results are the same; a file that does not parse goes to cosmiconfig, whose
 * messages (a code frame for JSON) users see. */
const directModule = { loader: (file: string, text: string, deadline: number) => loadModuleConfig(file, text, { deadline }), parseErrorsToCosmiconfig: false };
const directYaml = { loader: async (_: string, text: string) => loadYaml(text), parseErrorsToCosmiconfig: true };
const DIRECT_LOADERS: Record<string, { loader: DirectLoader; parseErrorsToCosmiconfig: boolean }> = {
  ".ts": directModule,
  ".mts": directModule,
  ".mjs": directModule,
  ".json": { loader: async (_, text) => JSON.parse(text), parseErrorsToCosmiconfig: true },
  ".yaml": directYaml,
  ".yml": directYaml,
};

/** The common formats without loading cosmiconfig and its parsers (~8 ms). Whatever cosmiconfig
 * treats specially (package.json, .js/.cjs, `$import`, the wording of a parse error) is left to
 * it. An error thrown by a config's own code is reported as it is. */
async function loadDirectly(filepath: string, text: string, deadline: number): Promise<{ config: unknown } | undefined> {
  // package.json holds the config under "llm": cosmiconfig's packageProp.
  const direct = path.basename(filepath) === "package.json" ? undefined : DIRECT_LOADERS[path.extname(filepath)];
  if (!direct) return undefined;
  let config: unknown;
  try {
    config = await direct.loader(filepath, text, deadline);
  } catch (error) {
    if (direct.parseErrorsToCosmiconfig && !(error instanceof LlmError)) return undefined;
    throw error;
  }
  const special = config === undefined || config === null || (typeof config === "object" && Object.hasOwn(config, "$import"));
  return special ? undefined : { config };
}

export type Chosen = { filepath: string; shown: string };

const isMissing = (error: unknown) => ["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "");

/** Whether package.json holds an `llm` key (cosmiconfig's packageProp); one that cannot be read
 * or parsed counts, so its error is reported rather than skipped. */
function packageJsonHasConfig(file: string): boolean {
  const read = readRegularFile(file, MAX_CONFIG_BYTES);
  if (!read.ok) return read.problem.kind !== "missing";
  try {
    const data = JSON.parse(read.text) as unknown;
    return data !== null && typeof data === "object" && Object.hasOwn(data, "llm");
  } catch {
    return true;
  }
}

/** The config `llm` uses when no --config is given: the one in `cwd`, else, inside a git
 * repository, the nearest one in a folder above it up to the repository's root (as git and eslint
 * find theirs), so `llm diff` works from `deploy/` or `src/`. Outside a repository only `cwd`
 * counts: a stray config in /tmp or the home folder is never picked up. Two configs in one folder
 * are an error naming both (which one wins is not something to guess); a folder or a broken link
 * where a config could be is named with its cause. */
export function findConfigFile(cwd: string): Result<Chosen> {
  let folder;
  try {
    folder = statSync(cwd);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (isMissing(err)) return fail(new LlmError("CONFIG_NOT_FOUND", `the folder ${cwd} does not exist (${err.code})`, { hint: "check the --cwd path" }));
    return fail(new LlmError("READ_FAILED", `the folder ${cwd} cannot be read (${err.code ?? err.message})`, { hint: "check its permissions", cause: error }));
  }
  if (!folder.isDirectory())
    return fail(
      new LlmError("CONFIG_NOT_FOUND", `${cwd} is not a folder (ENOTDIR)`, { hint: "--cwd takes the folder that holds the config; --config takes the file" }),
    );
  const folders = foldersUpToRepoRoot(cwd);
  for (const dir of folders) {
    const found = configIn(dir, cwd);
    if (found !== undefined) return found;
  }
  const top = folders[folders.length - 1]!;
  const where = folders.length > 1 ? `in this folder or above it up to the repository's root (${displayFolder(cwd, top)})` : "in this folder";
  return fail(
    new LlmError("CONFIG_NOT_FOUND", `no config found ${where} (looked for ${SEARCH_PLACES.join(", ")})`, {
      hint: "run `llm init` to create llm.config.ts, or pass --config PATH",
    }),
  );
}

/** `cwd`, then each folder above it up to the nearest one holding `.git` (a folder, or the file
 * of a worktree or submodule); just `cwd` when no folder above holds one. */
function foldersUpToRepoRoot(cwd: string): string[] {
  const folders = [cwd];
  for (let dir = cwd; ;) {
    if (lstatSync(path.join(dir, ".git"), { throwIfNoEntry: false }) !== undefined) return folders;
    const parent = path.dirname(dir);
    if (parent === dir) return [cwd];
    folders.push(parent);
    dir = parent;
  }
}

const displayFolder = (cwd: string, dir: string) => path.relative(cwd, dir).split(path.sep).join("/") || ".";

/** The config in `dir` (named relative to `cwd`), an error, or undefined when `dir` holds none. */
function configIn(dir: string, cwd: string): Result<Chosen> | undefined {
  const shownAs = (name: string) => (dir === cwd ? name : `${displayFolder(cwd, dir)}/${name}`);
  const candidates: string[] = [];
  const folders: string[] = [];
  for (const name of SEARCH_PLACES) {
    const file = path.join(dir, name);
    let entry;
    try {
      entry = lstatSync(file, { throwIfNoEntry: false });
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      return fail(
        new LlmError("READ_FAILED", `${shownAs(name)} cannot be read (${err.code ?? err.message})`, { hint: "check the folder's permissions", cause: error }),
      );
    }
    if (!entry) continue;
    if (entry.isDirectory()) folders.push(name);
    else if (name !== "package.json" || packageJsonHasConfig(file)) candidates.push(name);
  }
  if (candidates.length > 1) {
    const here = dir === cwd ? "this folder" : displayFolder(cwd, dir);
    return fail(
      new LlmError(
        "CONFIG_AMBIGUOUS",
        `${candidates.length} config files in ${here}: ${candidates.map(shownAs).join(", ")}; llm will not guess which one you mean`,
        {
          hint: `keep one of them (remove or rename the others), or choose one with --config ${shownAs(candidates[0]!)}`,
        },
      ),
    );
  }
  const name = candidates[0];
  if (name) return ok({ filepath: path.join(dir, name), shown: shownAs(name) });
  if (folders[0]) return fail(problemError({ kind: "folder" }, shownAs(folders[0])));
  return undefined;
}

/** `--config PATH`: named in messages as typed when it lies outside the folder (the generated
 * files name only its base name, which alone would not say which file was meant). */
function explicitFile(cwd: string, configPath: string): Chosen {
  const filepath = path.resolve(cwd, configPath);
  const relative = path.relative(cwd, filepath);
  const inside = !relative.startsWith("..") && !path.isAbsolute(relative);
  return { filepath, shown: inside ? displayPath(cwd, filepath) : configPath.split(path.sep).join("/") };
}

/** Why a file cannot be read as a config, in words naming the file and the system's reason. */
function problemError(problem: RegularFileProblem, shown: string): LlmError {
  switch (problem.kind) {
    case "missing":
      return problem.link
        ? new LlmError("CONFIG_NOT_FOUND", `${shown} is a symbolic link to a file that does not exist (ENOENT)`, {
            hint: `point the link at the config, or remove it`,
          })
        : new LlmError("CONFIG_NOT_FOUND", `${shown} does not exist`, { hint: "check the --config path, or run `llm init`" });
    case "loop":
      return new LlmError("CONFIG_LOAD_FAILED", `${shown} is a symbolic link that never reaches a file (ELOOP: too many levels of symbolic links)`, {
        hint: `point the link at the config, or remove it`,
      });
    case "folder":
      return new LlmError("CONFIG_LOAD_FAILED", `${shown} is a folder, not a config file (EISDIR)`, {
        hint: "rename or remove the folder, or pass --config FILE",
      });
    case "not-regular":
      return new LlmError("CONFIG_LOAD_FAILED", `${shown} is ${problem.what}, not a regular file; llm reads configs only from regular files`, {
        hint: "pass --config with the path of the config file itself",
      });
    case "too-large":
      return new LlmError(
        "CONFIG_LOAD_FAILED",
        `${shown} is ${problem.exact ? "" : "over "}${mib(problem.bytes)}; llm refuses configs over ${mib(MAX_CONFIG_BYTES)}`,
        { hint: "is this the right file? A config holds settings, not data" },
      );
    case "unreadable": {
      const code = problem.error.code ?? problem.error.message;
      return new LlmError("READ_FAILED", `${shown} cannot be read (${code}${problem.error.code === "EACCES" ? ": permission denied" : ""})`, {
        hint: `check its permissions (chmod u+r ${shown})`,
        cause: problem.error,
      });
    }
  }
}

/** What a config's code threw, in words: `throw null` and `throw "text"` are not Errors. */
function thrownMessage(error: unknown): string {
  if (error instanceof Error) return oneLine(String(error.message));
  if (typeof error === "string") return oneLine(error) || "an empty string was thrown";
  if (error === null || error === undefined) return `its code threw ${error === null ? "null" : "no value"} instead of an Error`;
  return `its code threw ${typeof error === "object" ? "an object" : `the ${typeof error} ${oneLine(String(error))}`} instead of an Error`;
}

function loadFailed(error: unknown, shown: string, cwd: string, tempNames: RegExp, limitMs: number): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof ConfigTimeout) return timedOut(shown, limitMs);
  const err = (error !== null && typeof error === "object" ? error : {}) as NodeJS.ErrnoException;
  if (err.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED")
    return new LlmError("INTERRUPTED", `interrupted while ${shown} was loading`, { hint: "nothing was changed", cause: error });
  const where = (text: string) => text.split(`${cwd}${path.sep}`).join("").replace(tempNames, shown);
  if (err.code === "ERR_MODULE_NOT_FOUND" || err.code === "MODULE_NOT_FOUND") {
    return new LlmError("CONFIG_LOAD_FAILED", `${shown} imports a module that cannot be found: ${where(oneLine(String(err.message)))}`, {
      hint: "fix the import's path, or install the package it names (npm i PACKAGE)",
      cause: error,
    });
  }
  const syntax = error instanceof SyntaxError || err.name === "YAMLException" || err.name === "JSONError";
  const hint = syntax ? "fix the syntax error at the place named above" : "the config's code threw while loading: fix it so the file only exports the config";
  return new LlmError("CONFIG_LOAD_FAILED", `${shown} could not be loaded: ${where(thrownMessage(error))}`, { hint, cause: error });
}

/** `configPath` picks a file; otherwise the one config among SEARCH_PLACES in `cwd` is used. */
export async function loadConfig(cwd: string, configPath?: string): Promise<Result<LoadedConfig>> {
  const chosen = configPath ? ok(explicitFile(cwd, configPath)) : findConfigFile(cwd);
  if (!chosen.ok) return chosen;
  const { filepath, shown } = chosen.value;
  const read = readRegularFile(filepath, MAX_CONFIG_BYTES);
  if (!read.ok) return fail(problemError(read.problem, shown));
  if (read.text.trim() === "") return fail(emptyConfig(shown));

  const limit = timeLimitMs;
  const deadline = Date.now() + limit;
  // A temporary module is named after the config (see module-loader.ts); messages name the config.
  const tempNames = new RegExp(`\\.${path.basename(filepath).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.[0-9a-f]+\\.mjs`, "g");
  try {
    const found = await withTimeLimit(
      (async () => (await loadDirectly(filepath, read.text, deadline)) ?? (await (await explorer(deadline)).load(filepath)))(),
      limit,
      () => timedOut(shown, limit),
    );
    if (!found || (found as { isEmpty?: boolean }).isEmpty) return fail(emptyConfig(shown));
    return ok({ file: configPath ? displayPath(cwd, filepath) : shown, data: found.config, absolutePath: filepath });
  } catch (error) {
    // The file was read above: anything thrown now (ENOENT included) comes from its code.
    return fail(loadFailed(error, shown, path.dirname(filepath), tempNames, limit));
  }
}

function emptyConfig(shown: string): LlmError {
  return new LlmError("CONFIG_INVALID", `${shown} is empty`, { hint: 'export default defineConfig({ models: ["llama3.2:3b"] })' });
}

function timedOut(shown: string, limitMs: number): LlmError {
  return new LlmError("CONFIG_TIMEOUT", `${shown} did not finish loading within ${limitMs / 1000} s`, {
    hint: "its code never finished (a promise that never settles, an endless loop, a slow import?): make the file export the config; LLM_CONFIG_TIMEOUT=SECONDS changes the limit",
  });
}
