// Loads a config written as a module (.ts/.mts/.mjs). TypeScript is stripped by oxc-transform, a
// native transformer, so no TypeScript compiler is needed at run time. The code is written to a
// temporary file beside the config, so its relative and package imports resolve as the user
// expects, and removed right after.
//
// Loading oxc's native library costs ~13 ms, a tenth of a whole run, so the stripped code of each
// config version is kept in the user's cache folder (keyed by a hash of the source and oxc's
// version): re-running `llm` on an unchanged config does not load oxc at all.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pkg from "../../package.json" with { type: "json" };

const OWN_PACKAGE = "local-llm-stack";
/** Stripped configs kept in the cache; the oldest go first. */
const CACHE_ENTRIES = 64;

/** Evaluates an ES module file and returns its namespace. */
export type ModuleImporter = (file: string) => Promise<unknown>;

export interface ModuleLoading {
  /** Default: import() with a fresh URL each time, so a process can load an edited config again. */
  importModule?: ModuleImporter | undefined;
  /** Default: import.meta.resolve("local-llm-stack"). */
  ownPackageUrl?: string | undefined;
  /** A module exporting only defineConfig: what nearly every config imports, ~1 ms to load
   * where the whole API costs ~25 ms. Default: the whole package. */
  defineConfigUrl?: string | undefined;
  /** Where stripped TypeScript is cached; no caching without it. */
  cacheDir?: string | undefined;
}

let loading: ModuleLoading = {};
let imports = 0;

/** Set once by the process entry (src/cli/run.ts); the library API keeps the defaults. */
export function configureModuleLoading(options: ModuleLoading): void {
  loading = { ...options };
}

const freshImport: ModuleImporter = (file) => import(`${pathToFileURL(file).href}?load=${++imports}`);

const OWN_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])local-llm-stack\2/g;
const DEFINE_CONFIG_ONLY = /\bimport\s*\{\s*defineConfig(?:\s+as\s+[\w$]+)?\s*,?\s*\}\s*from\s*(["'])local-llm-stack\1/g;

/** Points `import … from "local-llm-stack"` at this running copy, so a config loads even where
 * the package is not installed beside it (npx, a global install, a fresh folder). */
function linkOwnPackage(code: string): string {
  const uses = code.match(OWN_SPECIFIER)?.length ?? 0;
  if (uses === 0) return code;
  const onlyDefineConfig = loading.defineConfigUrl !== undefined && (code.match(DEFINE_CONFIG_ONLY)?.length ?? 0) === uses;
  const self = onlyDefineConfig ? loading.defineConfigUrl : (loading.ownPackageUrl ?? import.meta.resolve(OWN_PACKAGE));
  return code.replace(OWN_SPECIFIER, (_, lead: string) => `${lead}${JSON.stringify(self)}`);
}

async function stripTypes(file: string, source: string): Promise<string> {
  const { transformSync } = await import("oxc-transform");
  const result = transformSync(file, source, { sourceType: "module", typescript: { onlyRemoveTypeImports: false } });
  const first = result.errors[0];
  if (first) {
    const label = first.labels?.[0];
    const line = label ? source.slice(0, label.start).split("\n").length : undefined;
    throw new SyntaxError(`${first.message}${line ? ` (line ${line})` : ""}`);
  }
  return result.code;
}

function strippedCacheFile(cacheDir: string, file: string, source: string): string {
  const hash = createHash("sha256")
    .update(`${pkg.version}\0${pkg.dependencies["oxc-transform"]}\0${path.extname(file)}\0${source}`)
    .digest("hex");
  return path.join(cacheDir, "stripped", `${hash}.mjs`);
}

function rememberStripped(cacheFile: string, code: string): void {
  try {
    const dir = path.dirname(cacheFile);
    mkdirSync(dir, { recursive: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, cacheFile);
    const names = readdirSync(dir).filter((name) => name.endsWith(".mjs"));
    if (names.length > CACHE_ENTRIES) {
      const aged = names.map((name) => ({ name, mtime: statSync(path.join(dir, name)).mtimeMs })).sort((a, b) => a.mtime - b.mtime);
      for (const { name } of aged.slice(0, names.length - CACHE_ENTRIES)) unlinkSync(path.join(dir, name));
    }
  } catch {
    // A cache that cannot be written only costs speed.
  }
}

function readCached(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

async function strippedCode(file: string, source: string): Promise<string> {
  const cacheFile = loading.cacheDir ? strippedCacheFile(loading.cacheDir, file, source) : undefined;
  const cached = cacheFile ? readCached(cacheFile) : undefined;
  if (cached !== undefined) return cached;
  const code = await stripTypes(file, source);
  if (cacheFile) rememberStripped(cacheFile, code);
  return code;
}

export async function loadModuleConfig(file: string): Promise<unknown> {
  const source = readFileSync(file, "utf8");
  const isTs = /\.(ts|mts|cts)$/.test(file);
  const code = linkOwnPackage(isTs ? await strippedCode(file, source) : source);
  const importModule = loading.importModule ?? freshImport;
  if (!isTs && code === source) {
    const mod = (await importModule(file)) as { default?: unknown };
    return mod.default ?? mod;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.mjs`);
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
