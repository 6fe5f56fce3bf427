// Loads the CLI's bundle (dist/core.cjs) with a V8 code cache, so a run does not parse and
// compile ~600 KB of JavaScript again: most of what `llm` costs over a bare Node start
// (ARCHITECTURE.md, "Where the time goes"). Node 20 has no module.enableCompileCache (Node 22.1+),
// so this does what it does by hand: vm.Script with cachedData, produced after a command ran so
// the functions it compiled lazily are in the cache too.
//
// The cache is only ever a speed-up. It lives in the user's cache folder (never in the project),
// one file per command, keyed by Node's version and the bundle's size and mtime; V8 checks its
// own version, flags and the source again and rejects a cache that does not fit, and then the
// bundle is compiled as usual and a fresh cache written. Any failure to read or write it is ignored.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** What became of the cache: "off" (no cache folder), "used", "missing" or "rejected" by V8. */
  cache: "off" | "used" | "missing" | "rejected";
  /** Writes the cache when it was missing or rejected. Call it after the command ran. */
  persist(): void;
}

/** `LLM_CACHE_DIR` (`off` disables caching), else $XDG_CACHE_HOME or ~/.cache, per user. */
export function cacheDirFor(env: Record<string, string | undefined>, home: () => string = os.homedir): string | undefined {
  const chosen = env["LLM_CACHE_DIR"];
  if (chosen === "off") return undefined;
  if (chosen) return path.resolve(chosen);
  const base = env["XDG_CACHE_HOME"] || path.join(home(), ".cache");
  return path.join(base, "local-llm-stack");
}

/** One cache per command: each compiles a different part of the bundle. */
export function cacheFlavour(argv: readonly string[]): string {
  const first = argv.find((arg) => !arg.startsWith("-"));
  return first && /^[a-z]{1,20}$/.test(first) ? first : "other";
}

/** FNV-1a: a short, stable name for the Node flags a run was started with. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/** The bundle this cache belongs to, and the Node that compiled it; V8 rejects a cache made
 * under other flags, so runs with different flags keep caches of their own. */
function cacheKeys(bundle: string, env: Record<string, string | undefined>): { bundleKey: string; key: string } {
  const { size, mtimeMs } = statSync(bundle);
  const bundleKey = `${path.basename(bundle, ".cjs")}-${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}-`;
  return { bundleKey, key: `${bundleKey}${fnv1a(`${process.execArgv.join(" ")}\0${env["NODE_OPTIONS"] ?? ""}`)}` };
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, bundleKey: string, file: string, data: Buffer): void {
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, data);
    renameSync(temp, file);
    // Caches of other Node versions or older bundles are dead weight.
    const bundleName = bundleKey.slice(0, bundleKey.indexOf("-") + 1);
    for (const name of readdirSync(dir)) {
      if (name.startsWith(bundleName) && !name.startsWith(bundleKey)) rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // A read-only or full disk only costs speed.
  }
}

/** Runs a CommonJS bundle built as one function expression (`(function (exports, require, module,
 * __filename, __dirname) {…})`, scripts/build.mjs) as Node's loader would run a module, with a
 * code cache when `cacheDir` is set. */
export function loadBundle(bundle: string, cacheDir: string | undefined, flavour: string, env: Record<string, string | undefined> = process.env): LoadedBundle {
  // esbuild writes ASCII only (non-ASCII is escaped), so latin1 is exact and skips UTF-8 decoding.
  const source = readFileSync(bundle, "latin1");
  const keys = cacheDir ? cacheKeys(bundle, env) : { bundleKey: "", key: "" };
  const file = cacheDir ? path.join(cacheDir, `${keys.key}-${flavour}.v8`) : "";
  const cachedData = cacheDir ? readCache(file) : undefined;
  const script = new vm.Script(source, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const cache = !cacheDir ? "off" : cachedData === undefined ? "missing" : script.cachedDataRejected === false ? "used" : "rejected";
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return {
    exports: module.exports,
    cache,
    persist() {
      if (cacheDir && (cache === "missing" || cache === "rejected")) writeCache(cacheDir, keys.bundleKey, file, script.createCachedData());
    },
  };
}
