// Loads a config written as a module (.ts/.mts/.mjs). TypeScript is stripped by oxc-transform, a
// native transformer, so no TypeScript compiler is needed at run time.
//
// A config that imports nothing but "local-llm-stack" (what `llm init` writes, and nearly every
// config) is turned by oxc into the body of an async function (its module-runner transform: the
// imports become calls, the exports properties) and run in memory: ~1 ms, where writing a
// temporary module and loading it through Node's ES module loader costs ~6 ms. Any other config
// (relative or package imports, import.meta, dynamic import) is written to a temporary file
// beside it, so its imports resolve as the user expects, loaded as a module and removed.
//
// Loading oxc's native library costs ~13 ms, a tenth of a whole run, so the transformed code of
// each config version is kept in the user's cache folder, keyed by the source, this package's
// version and oxc's: re-running `llm` on an unchanged config does not load oxc at all.
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { path } from "../util/path.js";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runInThisContext } from "node:vm";
import { LlmError } from "../errors.js";
import { deepNestingLine, MAX_SOURCE_NESTING } from "./nesting.js";
import pkg from "../../package.json" with { type: "json" };
import { writeCacheFile } from "../util/cache-folder.js";
import { hash64 } from "../util/hash64.js";
import { crypto } from "../util/lazy-crypto.js";
import { defineConfig } from "./define-config.js";
import { InternalError } from "../errors.js";

const OWN_PACKAGE = "local-llm-stack";
/** Transformed configs kept in the cache; the least recently written go first. */
const CACHE_ENTRIES = 64;
/** Part of every cache key: raised when what is decided at transform time changes (2: configs
 * with a computed import() or `export *` are modules, not functions). */
const CACHE_FORMAT = 2;

/** Evaluates an ES module file and returns its namespace. */
export type ModuleImporter = (file: string) => Promise<unknown>;

export interface ModuleLoading {
  /** Default: import() with a fresh URL each time, so a process can load an edited config again. */
  importModule?: ModuleImporter | undefined;
  /** Default: import.meta.resolve("local-llm-stack"). */
  ownPackageUrl?: string | undefined;
  /** A module exporting only defineConfig, for module configs: ~1 ms to load where the whole API
   * costs ~25 ms. Default: the whole package. */
  defineConfigUrl?: string | undefined;
  /** Where transformed configs are cached; no caching without it. */
  cacheDir?: string | undefined;
}

let loading: ModuleLoading = {};
let imports = 0;

/** Set once by the process entry (src/cli/run.ts); the library API keeps the defaults. */
export function configureModuleLoading(options: ModuleLoading): void {
  loading = { ...options };
}

const freshImport: ModuleImporter = (file) => import(`${pathToFileURL(file).href}?load=${++imports}`);
const ownPackageUrl = () => loading.ownPackageUrl ?? import.meta.resolve(OWN_PACKAGE);
/** The whole API, loaded once per process (a fresh URL would make a second copy of its classes). */
const importOwnPackage = (): Promise<unknown> => (loading.importModule ? loading.importModule(fileURLToPath(ownPackageUrl())) : import(ownPackageUrl()));

/** How a config is run: as the body of an async function, or as a module file. */
interface PreparedConfig {
  kind: "function" | "module";
  code: string;
}

const OWN_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])local-llm-stack\2/g;
const DEFINE_CONFIG_ONLY = /\bimport\s*\{\s*defineConfig(?:\s+as\s+[\w$]+)?\s*,?\s*\}\s*from\s*(["'])local-llm-stack\1/g;

/** Points `import … from "local-llm-stack"` at this running copy, so a config loads even where
 * the package is not installed beside it (npx, a global install, a fresh folder). */
function linkOwnPackage(code: string): string {
  const uses = code.match(OWN_SPECIFIER)?.length ?? 0;
  if (uses === 0) return code;
  const onlyDefineConfig = loading.defineConfigUrl !== undefined && (code.match(DEFINE_CONFIG_ONLY)?.length ?? 0) === uses;
  const self = onlyDefineConfig ? loading.defineConfigUrl : ownPackageUrl();
  return code.replace(OWN_SPECIFIER, (_, lead: string) => `${lead}${JSON.stringify(self)}`);
}

function syntaxError(source: string, error: { message: string; labels?: { start: number }[] }): SyntaxError {
  const label = error.labels?.[0];
  const line = label ? source.slice(0, label.start).split("\n").length : undefined;
  return new SyntaxError(`${error.message}${line ? ` (line ${line})` : ""}`);
}

/** Strips a TypeScript config's types; then, when it imports nothing but this package, turns it
 * into a function body. */
async function prepareConfig(file: string, source: string): Promise<PreparedConfig> {
  const deep = deepNestingLine(source);
  if (deep !== undefined) {
    throw new LlmError("CONFIG_INVALID", `${path.basename(file)} nests brackets more than ${MAX_SOURCE_NESTING} levels deep (line ${deep})`, {
      hint: "a config is a few levels of plain data: build deep values in code, not as literals",
    });
  }
  const oxc = await import("oxc-transform");
  const stripped = oxc.transformSync(file, source, { sourceType: "module", typescript: { onlyRemoveTypeImports: false } });
  if (stripped.errors[0]) throw syntaxError(source, stripped.errors[0]);
  // oxc marks this transform deprecated for use outside Vite; it is the same transform Vite runs
  // server-side code with, and the pinned version is tested here (test/config-loading.test.ts).
  const runner = oxc.moduleRunnerTransformSync(`${file}.mjs`, stripped.code, {});
  // A dynamic import() of a computed name is not in dynamicDeps, and `export * from` is an
  // exportAll call: neither can run without a module loader.
  const selfContained =
    runner.errors.length === 0 &&
    runner.dynamicDeps.length === 0 &&
    runner.deps.every((dep) => dep === OWN_PACKAGE) &&
    !/__vite_ssr_(import_meta|dynamic_import|exportAll)__/.test(runner.code);
  return selfContained ? { kind: "function", code: runner.code } : { kind: "module", code: stripped.code };
}

/** What a transformed config depends on: its source, its kind of file, this package's version and
 * oxc's. The cache entry is named after a hash of it and holds it whole, so two configs sharing a
 * name cannot be mistaken for each other. (So the entry holds the config's text word for word,
 * comments included: as private as the transformed code, mode 0600 in the 0700 cache folder.) */
interface CacheEntry {
  file: string;
  key: string;
}

function cacheEntryFor(cacheDir: string, file: string, source: string): CacheEntry {
  const key = `${pkg.version}\0${pkg.dependencies["oxc-transform"]}\0${CACHE_FORMAT}\0${path.extname(file)}\0${source}`;
  return { file: path.join(cacheDir, "configs", `${hash64(key)}.js`), key };
}

/** Transforms made by this run, written by saveConfigCache once the command succeeded. */
const pending = new Map<string, { entry: CacheEntry; prepared: PreparedConfig }>();

/** Writes this run's transformed configs to the cache (mode 0600 in a 0700 folder: a config can
 * hold an inline secret). The process entry calls it after a successful command. */
export function saveConfigCache(): void {
  for (const { entry, prepared } of pending.values()) {
    try {
      writeCacheFile(path.dirname(entry.file), entry.file, `// ${prepared.kind}\n${keyLine(entry.key)}\n${prepared.code}`, ".js", CACHE_ENTRIES);
    } catch {
      // A cache that cannot be written only costs speed.
    }
  }
  pending.clear();
}

/** The key as one comment line (JSON escapes its newlines). */
const keyLine = (key: string) => `// ${JSON.stringify(key)}`;

function recall(entry: CacheEntry): PreparedConfig | undefined {
  try {
    const text = readFileSync(entry.file, "utf8");
    const kind = text.startsWith("// function\n") ? "function" : text.startsWith("// module\n") ? "module" : undefined;
    const keyStart = text.indexOf("\n") + 1;
    const codeStart = text.indexOf("\n", keyStart) + 1;
    if (!kind || codeStart === 0 || text.slice(keyStart, codeStart - 1) !== keyLine(entry.key)) return undefined;
    return { kind, code: text.slice(codeStart) };
  } catch {
    return undefined;
  }
}

async function preparedCode(file: string, source: string): Promise<PreparedConfig> {
  const entry = loading.cacheDir ? cacheEntryFor(loading.cacheDir, file, source) : undefined;
  const cached = entry ? recall(entry) : undefined;
  if (cached) return cached;
  const prepared = await prepareConfig(file, source);
  if (entry) pending.set(entry.file, { entry, prepared });
  return prepared;
}

/** The module runner awaits each import before the config's own code runs; imports of this
 * package are resolved beforehand instead, so the whole synchronous part of the config runs in
 * one call that a time limit can interrupt (an endless loop in a config would otherwise hang). */
const AWAITED_IMPORT = /^(const __vite_ssr_import_\d+__ = )await (__vite_ssr_import__\()/gm;
/** The names each import statement takes from the package; absent for `import * as`. */
const IMPORTED_NAMES = /__vite_ssr_import__\("local-llm-stack"(?:, \{ importedNames: \[([^\]]*)\] \})?\)/g;

/** Whether the config uses more of the package than defineConfig (then the whole API is loaded). */
function needsWholeApi(code: string): boolean {
  const imports = [...code.matchAll(IMPORTED_NAMES)];
  if (imports.length !== (code.match(/__vite_ssr_import__\(/g)?.length ?? 0)) return true;
  return imports.some((match) => match[1] === undefined || match[1].split(",").some((name) => name.trim() !== '"defineConfig"'));
}

const RUN_KEY = Symbol.for("local-llm-stack:run-config");

/** Runs a module-runner function body: strict like a module, `this` undefined, no require. Its
 * synchronous part runs under a time limit (vm's watchdog, the only thing that can stop a loop
 * on this thread); after its own first `await`, the caller's time limit takes over. */
async function runFunctionModule(file: string, code: string, deadline: number): Promise<Record<string, unknown>> {
  const body = `(async function (__vite_ssr_exports__, __vite_ssr_import__, __vite_ssr_dynamic_import__, __vite_ssr_exportAll__, __vite_ssr_import_meta__) {"use strict";${code.replace(AWAITED_IMPORT, "$1$2")}\n})`;
  const run = runInThisContext(body, { filename: file }) as (...args: unknown[]) => Promise<void>;
  const exports: Record<string, unknown> = {};
  const api = needsWholeApi(code) ? ((await importOwnPackage()) as Record<string, unknown>) : undefined;
  const importOwn = (specifier: string, meta?: { importedNames?: string[] }) => {
    if (specifier !== OWN_PACKAGE) throw new InternalError(`${specifier} imported from a self-contained config`);
    const names = meta?.importedNames;
    if (!api && names?.every((name) => name === "defineConfig")) return { defineConfig };
    if (!api) throw new InternalError("the package's API was not loaded before the config ran");
    // As linking a module would: a name the package does not export is an error, used or not.
    const missing = (names ?? []).find((name) => !(name in api));
    if (missing !== undefined) throw new SyntaxError(`The requested module '${OWN_PACKAGE}' does not provide an export named '${missing}'`);
    return api;
  };
  const unavailable = () => {
    throw new InternalError("a self-contained config has no other imports");
  };
  // vm's time limit covers only code run by the script it is given, so the call is that script,
  // reaching the function through a symbol on globalThis for the moment it runs.
  const global = globalThis as unknown as Record<symbol, unknown>;
  global[RUN_KEY] = () => run.call(undefined, exports, importOwn, unavailable, unavailable, undefined);
  let finished: Promise<void>;
  try {
    finished = runInThisContext(`globalThis[Symbol.for("local-llm-stack:run-config")]()`, {
      timeout: Math.max(1, deadline - Date.now()),
      breakOnSigint: true,
    }) as Promise<void>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw new ConfigTimeout();
    throw error;
  } finally {
    delete global[RUN_KEY];
  }
  await finished;
  return exports;
}

/** The config's code ran past the time limit; load.ts names the file and the limit. */
export class ConfigTimeout extends Error {
  constructor() {
    super("the config did not finish in time");
    this.name = "ConfigTimeout";
  }
}

/** `source`: the file's text when the caller has already read it. `deadline`: when the config's
 * code must have finished (Date.now() terms). */
export async function loadModuleConfig(file: string, source = readFileSync(file, "utf8"), options: { deadline?: number } = {}): Promise<unknown> {
  const isTs = /\.(ts|mts|cts)$/.test(file);
  const importModule = loading.importModule ?? freshImport;
  if (isTs) {
    const prepared = await preparedCode(file, source);
    if (prepared.kind === "function") {
      const exports = await runFunctionModule(file, prepared.code, options.deadline ?? Date.now() + 30_000);
      return exports["default"] ?? exports;
    }
    return importTemporary(file, linkOwnPackage(prepared.code), importModule);
  }
  const code = linkOwnPackage(source);
  if (code !== source) return importTemporary(file, code, importModule);
  const mod = (await importModule(file)) as { default?: unknown };
  return mod.default ?? mod;
}

/** Loads `code` as a module written beside `file`, so its relative imports resolve as there. */
async function importTemporary(file: string, code: string, importModule: ModuleImporter): Promise<unknown> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto().randomBytes(6).toString("hex")}.mjs`);
  writeFileSync(temp, code, { mode: 0o600 });
  try {
    const mod = (await importModule(temp)) as { default?: unknown };
    return mod.default ?? mod;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone: nothing to clean.
    }
  }
}
