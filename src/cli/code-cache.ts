// Loads the CLI's bundle (dist/core.cjs) with a V8 code cache, so a run does not parse and
// compile the bundle again: most of what `llm` cost over a bare Node start (ARCHITECTURE.md,
// "Where the time goes"). Node 20 has no module.enableCompileCache (Node 22.1+), so this does what
// it does by hand: vm.Script with cachedData, produced after a command ran so the functions it
// compiled lazily are in the cache too.
//
// The cache is only ever a speed-up. It lives in the user's cache folder (never in the project),
// in a folder only its owner can write, one file per command. V8 itself checks only its version,
// its flags and the source's length, so the file's name is what keeps other code from running
// stale: it is derived from the bundle's build id (a SHA-256 of its bytes, written into the
// launcher by scripts/build.mjs), the bundle file's identity (device, inode, size, mtime and
// ctime, in nanoseconds: an edit made after the build changes them), Node's version and flags.
// Hashing the 360 KB at run time instead cost ~1 ms a run. A bundle whose ctime is too recent to
// tell apart from a later edit on a filesystem with coarse timestamps gets no cache yet (git's
// "racily clean" rule). A cache V8 rejects is replaced. Any failure to read or write it is ignored.
import { closeSync, fstatSync, mkdirSync, openSync, readSync, statSync, type BigIntStats } from "node:fs";
import { Script } from "node:vm";
import { writeCacheFile } from "../util/cache-folder.js";
import { hash64 } from "../util/hash64.js";
import { path } from "../util/path.js";

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
export function cacheDirFor({ env, platform, home }: CacheLocation = { env: process.env, platform: process.platform, home: homeFolder }): string | undefined {
  try {
    const chosen = env["LLM_CACHE_DIR"];
    if (chosen === "off") return undefined;
    if (chosen) return path.resolve(chosen);
    const absolute = (dir: string | undefined) => (dir && path.isAbsolute(dir) ? dir : undefined);
    if (platform === "win32") {
      const local = absolute(env["LOCALAPPDATA"]);
      return local ? path.join(local, "local-llm-stack", "Cache") : undefined;
    }
    if (platform === "darwin") {
      const userHome = absolute(home());
      return userHome ? path.join(userHome, "Library", "Caches", "local-llm-stack") : undefined;
    }
    const xdg = absolute(env["XDG_CACHE_HOME"]);
    if (xdg) return path.join(xdg, "local-llm-stack");
    const userHome = absolute(home());
    return userHome ? path.join(userHome, ".cache", "local-llm-stack") : undefined;
  } catch {
    // No home folder (no HOME, no passwd entry): run without caches.
    return undefined;
  }
}

/** $HOME, which is what os.homedir() returns on POSIX when it is set; node:os (~0.4 ms) loads
 * only when it is not. */
function homeFolder(): string {
  return process.env["HOME"] || process.getBuiltinModule("node:os").homedir();
}

/** Creates the cache folder (mode 0700) and returns it, or undefined when it cannot be used: not
 * creatable, or (on POSIX) owned by someone else or writable by others, who could then put code
 * into every run. */
export function openCacheDir(dir: string | undefined): string | undefined {
  if (!dir) return undefined;
  try {
    // Asked first: it is there on every run but the first.
    const stats = statSync(dir, { throwIfNoEntry: false }) ?? (mkdirSync(dir, { recursive: true, mode: 0o700 }), statSync(dir));
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

/** A cache is kept only for a bundle whose last change is at least this old, so that a later
 * edit cannot carry the same ctime, even where timestamps have whole or two-second steps. */
const SETTLED_MS = 3000;

/** The cache's file name: the bundle's build id and file identity, the Node that compiled it and
 * its flags (V8 rejects a cache made under other flags, so runs with different flags keep caches
 * of their own). */
function cacheName(bundle: string, buildId: string, identity: BigIntStats, flavour: string, env: Record<string, string | undefined>): string {
  const key = [
    buildId,
    identity.dev,
    identity.ino,
    identity.size,
    identity.mtimeNs,
    identity.ctimeNs,
    process.version,
    process.arch,
    process.execArgv.join(" "),
    env["NODE_OPTIONS"] ?? "",
  ].join("\0");
  return `${path.basename(bundle, ".cjs")}-${hash64(key)}-${flavour}.v8`;
}

/** Reads the whole of an open file into `into` when it fits, else into a new buffer. */
function readAll(fd: number, size: number, into?: Buffer): Buffer {
  const buffer = into && into.length >= size ? into : Buffer.allocUnsafeSlow(size);
  let done = 0;
  while (done < size) {
    const read = readSync(fd, buffer, done, size - done, done);
    if (read === 0) break;
    done += read;
  }
  return buffer.subarray(0, done);
}

/** A cache far larger than its bundle's compiled code is not one this code wrote: not read. */
function openCache(file: string, bundleSize: number): { fd: number; size: number } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    if (size <= 8 * bundleSize) return { fd, size };
  } catch {
    // Missing or unreadable: compiled afresh.
  }
  if (fd !== undefined) closeSync(fd);
  return undefined;
}

function readCache(cache: { fd: number; size: number }, into: Buffer): Buffer | undefined {
  try {
    return readAll(cache.fd, cache.size, into);
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
export interface BundleOptions {
  /** Identifies the bundle's bytes (scripts/build.mjs writes a SHA-256 of them into the launcher). */
  buildId: string;
  env?: Record<string, string | undefined>;
  /** Resolves the bundle's imports: the launcher passes its own (same folder), which spares
   * loading node:module. */
  require?: NodeJS.Require;
}

export function loadBundle(
  bundle: string,
  cacheDir: string | undefined,
  flavour: string,
  { buildId, env = process.env, require }: BundleOptions,
): LoadedBundle {
  const fd = openSync(bundle, "r");
  let source: string;
  let file = "";
  let cachedData: Buffer | undefined;
  let identity: BigIntStats;
  let cache: { fd: number; size: number } | undefined;
  try {
    identity = fstatSync(fd, { bigint: true });
    const size = Number(identity.size);
    file = cacheDir ? path.join(cacheDir, "v8", cacheName(bundle, buildId, identity, flavour, env)) : "";
    cache = cacheDir ? openCache(file, size) : undefined;
    // One buffer for both files: the cache is read over the bundle's bytes once they are a string,
    // so its pages are touched once (fresh memory is costly: ARCHITECTURE.md, "Where the time goes").
    const buffer = Buffer.allocUnsafeSlow(Math.max(size, cache?.size ?? 0));
    const bytes = readAll(fd, size, buffer);
    // esbuild writes ASCII only (non-ASCII is escaped; the build checks it), so latin1 is exact and
    // skips UTF-8 decoding.
    source = bytes.toString("latin1");
    cachedData = cache ? readCache(cache, buffer) : undefined;
  } finally {
    closeSync(fd);
    if (cache) closeSync(cache.fd);
  }
  const script = new Script(source, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const state = !cacheDir ? "off" : cachedData === undefined ? "missing" : script.cachedDataRejected === false ? "used" : "rejected";
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require ?? process.getBuiltinModule("node:module").createRequire(bundle), module, bundle, path.dirname(bundle));
  return {
    exports: module.exports,
    cache: state,
    persist() {
      if (!cacheDir || (state !== "missing" && state !== "rejected")) return;
      if (Date.now() - Number(identity.ctimeMs) < SETTLED_MS) return;
      writeCache(path.dirname(file), file, script.createCachedData());
    },
  };
}
