// Loads the CLI's bundle (dist/core.cjs) with a V8 code cache, so a run does not parse and
// compile the bundle again: most of what `llm` cost over a bare Node start (ARCHITECTURE.md,
// "Where the time goes"). Node 20 has no module.enableCompileCache (Node 22.1+), so this does what
// it does by hand: vm.Script with cachedData, produced after a command ran so the functions it
// compiled lazily are in the cache too.
//
// The cache is only ever a speed-up. It lives in the user's cache folder (never in the project),
// in a folder only its owner can write, one file per command, named after a hash of the bundle's
// bytes, Node's version and flags: V8 itself checks only its version, its flags and the source's
// length, so the name is what keeps an edited bundle from running stale code. A cache V8 rejects
// is replaced. Any failure to read or write it is ignored.
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { writeCacheFile } from "../util/cache-folder.js";

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** What became of the cache: "off" (no cache folder), "used", "missing" or "rejected" by V8. */
  cache: "off" | "used" | "missing" | "rejected";
  /** Writes the cache when it was missing or rejected. Call it after the command succeeded. */
  persist(): void;
}

/** Code caches kept per cache folder (several Node versions or installs side by side); the
 * least recently written go first. */
const MAX_CACHES = 32;

export interface CacheLocation {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: () => string;
}

/** `LLM_CACHE_DIR` (`off`: no caches), else the platform's per-user cache folder: %LOCALAPPDATA%
 * on Windows, ~/Library/Caches on macOS, $XDG_CACHE_HOME or ~/.cache elsewhere. Relative base
 * folders are ignored (the XDG rule), so a cache never lands in the project by accident. */
export function cacheDirFor({ env, platform, home }: CacheLocation = { env: process.env, platform: process.platform, home: os.homedir }): string | undefined {
  try {
    const chosen = env["LLM_CACHE_DIR"];
    if (chosen === "off") return undefined;
    if (chosen) return path.resolve(chosen);
    const absolute = (dir: string | undefined) => (dir && path.isAbsolute(dir) ? dir : undefined);
    if (platform === "win32") {
      const local = absolute(env["LOCALAPPDATA"]);
      return local ? path.join(local, "local-llm-stack", "Cache") : undefined;
    }
    const userHome = absolute(home());
    if (platform === "darwin") return userHome ? path.join(userHome, "Library", "Caches", "local-llm-stack") : undefined;
    const base = absolute(env["XDG_CACHE_HOME"]) ?? (userHome ? path.join(userHome, ".cache") : undefined);
    return base ? path.join(base, "local-llm-stack") : undefined;
  } catch {
    // No home folder (no HOME, no passwd entry): run without caches.
    return undefined;
  }
}

/** Creates the cache folder (mode 0700) and returns it, or undefined when it cannot be used: not
 * creatable, or (on POSIX) owned by someone else or writable by others, who could then put code
 * into every run. */
export function openCacheDir(dir: string | undefined): string | undefined {
  if (!dir) return undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = statSync(dir);
    if (!stats.isDirectory()) return undefined;
    const uid = process.getuid?.();
    if (uid !== undefined && (stats.uid !== uid || (stats.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** One cache per command: each compiles a different part of the bundle. */
export function cacheFlavour(argv: readonly string[]): string {
  const first = argv.find((arg) => !arg.startsWith("-"));
  return first && /^[a-z]{1,20}$/.test(first) ? first : "other";
}

/** The cache's file name: the bundle's bytes, the Node that compiled it and its flags (V8 rejects
 * a cache made under other flags, so runs with different flags keep caches of their own). */
function cacheName(bundle: string, bytes: Buffer, flavour: string, env: Record<string, string | undefined>): string {
  // Loaded here, not at the top: `llm --help` goes through this module and needs no crypto.
  const { createHash } = process.getBuiltinModule("node:crypto");
  const hash = createHash("sha1").update(bytes).update(`\0${process.version}\0${process.arch}\0${process.execArgv.join(" ")}\0${env["NODE_OPTIONS"] ?? ""}`);
  return `${path.basename(bundle, ".cjs")}-${hash.digest("hex").slice(0, 20)}-${flavour}.v8`;
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, file: string, data: Buffer): void {
  try {
    writeCacheFile(dir, file, data, ".v8", MAX_CACHES);
  } catch {
    // A read-only or full disk only costs speed.
  }
}

/** Runs a CommonJS bundle built as one function expression (`(function (exports, require, module,
 * __filename, __dirname) {…})`, scripts/build.mjs) as Node's loader would run a module, with a
 * code cache in `cacheDir/v8` when `cacheDir` is set. */
export function loadBundle(bundle: string, cacheDir: string | undefined, flavour: string, env: Record<string, string | undefined> = process.env): LoadedBundle {
  const bytes = readFileSync(bundle);
  const dir = cacheDir ? path.join(cacheDir, "v8") : "";
  const file = cacheDir ? path.join(dir, cacheName(bundle, bytes, flavour, env)) : "";
  const cachedData = cacheDir ? readCache(file) : undefined;
  // esbuild writes ASCII only (non-ASCII is escaped; the build checks it), so latin1 is exact and
  // skips UTF-8 decoding.
  const script = new vm.Script(bytes.toString("latin1"), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const cache = !cacheDir ? "off" : cachedData === undefined ? "missing" : script.cachedDataRejected === false ? "used" : "rejected";
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return {
    exports: module.exports,
    cache,
    persist() {
      if (cacheDir && (cache === "missing" || cache === "rejected")) writeCache(dir, file, script.createCachedData());
    },
  };
}
