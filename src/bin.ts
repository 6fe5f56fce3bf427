#!/usr/bin/env node
// The `llm` launcher, built as CommonJS (dist/llm.cjs): a CommonJS entry starts ~9 ms sooner
// than an ES module. Help requests are answered from prerendered text; every other command loads
// the CLI bundle (dist/core.cjs) through the V8 code cache (src/cli/code-cache.ts).
import { pathToFileURL } from "node:url";
import { cacheDirFor, cacheFlavour, loadBundle, openCacheDir } from "./cli/code-cache.js";
import { prerenderedHelp } from "./cli/fast-help.js";
import type { RunOptions } from "./cli/run.js";
import { enableTrace, trace } from "./util/trace.js";
import { path } from "./util/path.js";

/** A SHA-256 of dist/core.cjs, written in by scripts/build.mjs (esbuild `define`). */
declare const BUNDLE_BUILD_ID: string;

// CommonJS resolves the bin symlink (node_modules/.bin/llm) to this file.
const here = __dirname;
const argv = process.argv.slice(2);
const help = prerenderedHelp(argv, process.env, path.join(here, "help.json"));
if (help !== undefined) {
  // `llm --help | head`: a reader that stops early is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  process.stdout.write(help);
} else {
  start().catch((error: unknown) => {
    process.stderr.write(`internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 70;
  });
}

/** Evaluates the config's ES module through require(esm) (Node 20.19+), which skips the
 * asynchronous ESM loader; a module with top-level await needs import(). */
async function importModule(file: string): Promise<unknown> {
  try {
    return require(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_REQUIRE_ASYNC_MODULE") throw error;
    return import(pathToFileURL(file).href);
  }
}

async function start(): Promise<void> {
  enableTrace(process.env);
  trace("node started, launcher loaded");
  const cacheDir = openCacheDir(cacheDirFor());
  const core = loadBundle(path.join(here, "core.cjs"), cacheDir, cacheFlavour(argv), { buildId: BUNDLE_BUILD_ID, require });
  trace(`cli bundle loaded (code cache ${core.cache})`);
  const runCli = core.exports["runCli"] as (args: string[], options: RunOptions) => Promise<number>;
  const outputFlushed = core.exports["outputFlushed"] as () => boolean;
  const codeCacheWorthy = core.exports["codeCacheWorthy"] as () => boolean;
  process.exitCode = await runCli(argv, {
    importModule,
    ownPackageUrl: pathToFileURL(path.join(here, "index.js")).href,
    defineConfigUrl: pathToFileURL(path.join(here, "define-config.js")).href,
    ...(cacheDir ? { cacheDir } : {}),
    buildId: BUNDLE_BUILD_ID,
  });
  // Caches are kept from runs that did their work (0, or 1: differences found), so a failing run
  // writes nothing anywhere, and help or --version output leaves no code cache behind.
  if ((process.exitCode === 0 || process.exitCode === 1) && codeCacheWorthy()) core.persist();
  // The command is done: exiting now skips tearing down a heap nobody will use (~5 ms), unless
  // output is still queued for a slow pipe.
  if (outputFlushed()) process.exit();
}
