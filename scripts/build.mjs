#!/usr/bin/env node
// Build: turn the data sources (schemas/, templates/, presets/) into precompiled modules under
// src/generated/, then bundle src/ into dist/. Precompiling at build time keeps ajv's compiler and
// Handlebars' parser out of every `llm` start (see ARCHITECTURE.md, "Where the time goes").
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { annotatedSchema, buildArtefacts, presetsWithCatalog } from "./artefacts.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const generatedDir = path.join(root, "src", "generated");

async function writeIfChanged(file, text) {
  const previous = await readFile(file, "utf8").catch(() => null);
  if (previous !== text) await writeFile(file, text);
}

async function main() {
  // Defaults and editor messages into the schema first: every artefact is built from it.
  const schemaFile = path.join(root, "schemas", "llm.config.schema.json");
  const { defaults } = await presetsWithCatalog(root);
  await writeIfChanged(schemaFile, `${JSON.stringify(annotatedSchema(JSON.parse(await readFile(schemaFile, "utf8")), defaults), null, 2)}\n`);
  const artefacts = await buildArtefacts(root);
  await mkdir(generatedDir, { recursive: true });
  for (const [name, text] of Object.entries(artefacts)) {
    await writeIfChanged(path.join(generatedDir, name), text);
  }
  if (process.argv.includes("--generated-only")) return;

  const esbuild = await import("esbuild");
  await rm(path.join(root, "dist"), { recursive: true, force: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    target: "node20",
    // Native or optional modules stay outside the bundle; cosmiconfig would otherwise inline its
    // lazy `typescript` require.
    external: ["oxc-transform", "typescript"],
    legalComments: "none",
    plugins: [bcryptCryptoShim],
    minify: !process.env.LLM_BUILD_NO_MINIFY,
    keepNames: false,
    logLevel: "warning",
    metafile: true,
  };
  const metafiles = [];
  // The library API: an ES module whose heavy parts load only when used.
  metafiles.push(
    (
      await esbuild.build({
        ...common,
        entryPoints: { index: "src/index.ts" },
        outdir: "dist",
        splitting: true,
        format: "esm",
        chunkNames: "chunks/[name]-[hash]",
        banner: {
          js: "import { createRequire as __llmCreateRequire } from 'node:module'; const require = __llmCreateRequire(import.meta.url);",
        },
      })
    ).metafile,
  );
  // What a config imports, in one small file, so loading a config does not load the whole API
  // (src/config/module-loader.ts).
  metafiles.push((await esbuild.build({ ...common, entryPoints: { "define-config": "src/config/define-config.ts" }, outdir: "dist", format: "esm" })).metafile);
  // The CLI: a small CommonJS launcher (the bin) and one CommonJS bundle it runs through the V8
  // code cache (src/cli/code-cache.ts). CommonJS because a vm.Script can be cached and an ES module
  // cannot on Node 20; one file because the cache covers one script.
  metafiles.push(
    (
      await esbuild.build({
        ...common,
        entryPoints: { core: "src/cli/run.ts" },
        outdir: "dist",
        outExtension: { ".js": ".cjs" },
        format: "cjs",
        // Parts most runs never touch load from node_modules when needed, so they cost nothing to
        // read: yargs (help and usage errors), Ollama's client (llm models), cosmiconfig (package.json,
        // .js/.cjs configs and what it treats specially; src/config/load.ts).
        external: [...common.external, "yargs", "ollama", "cosmiconfig"],
        // Bundled ES modules build paths from import.meta.url. The launcher always passes
        // ownPackageUrl, so the ESM-only import.meta.resolve fallback is never reached here.
        define: { "import.meta.url": "__llmModuleUrl", "import.meta.resolve": "undefined" },
        // A vm.Script on Node 20 has no import() without an experimental flag (and loses it with a
        // code cache): externals are required, which Node 20.19+ does for ES modules too.
        supported: { "dynamic-import": false },
        // The file is one function expression, the wrapper Node puts around a CommonJS module, so the
        // launcher compiles it as it is, without copying 300 KB into a wrapped string first.
        banner: {
          js: "(function (exports, require, module, __filename, __dirname) {'use strict';var __llmModuleUrl = require('node:url').pathToFileURL(__filename).href;",
        },
        footer: { js: "})" },
      })
    ).metafile,
  );
  // The launcher reads the bundle as latin1 (no UTF-8 decoding): esbuild escapes non-ASCII
  // characters in code by default; make sure nothing slipped through. (An unminified debug build
  // keeps some comments, whose non-ASCII text latin1 only garbles.)
  const core = await readFile(path.join(root, "dist", "core.cjs"));
  const wide = core.findIndex((byte) => byte > 0x7f);
  if (wide !== -1 && !process.env.LLM_BUILD_NO_MINIFY) throw new Error(`dist/core.cjs has a non-ASCII byte at offset ${wide}; the launcher reads it as latin1`);
  // The launcher, built after the bundle so it can carry the bundle's hash: part of every code
  // cache's name (src/cli/code-cache.ts), computed once here instead of on every run.
  const buildId = createHash("sha256").update(core).digest("hex");
  metafiles.push(
    (
      await esbuild.build({
        ...common,
        entryPoints: { llm: "src/bin.ts" },
        outdir: "dist",
        outExtension: { ".js": ".cjs" },
        format: "cjs",
        define: { BUNDLE_BUILD_ID: JSON.stringify(buildId) },
      })
    ).metafile,
  );
  await writeFile(path.join(root, "dist", "THIRD-PARTY-NOTICES.txt"), await thirdPartyNotices(metafiles));
  // Declarations for the public API, so `defineConfig` completes keys in an installed package
  // (src/ is not published): one self-contained file with only the types the API names, not a
  // declaration per internal module (which named devDependencies such as kubernetes-models).
  const dts = spawnSync(
    process.execPath,
    [
      path.join(root, "node_modules", "dts-bundle-generator", "dist", "bin", "dts-bundle-generator.js"),
      "--silent",
      // test/package.test.ts type-checks the file in a consumer project, without skipLibCheck.
      "--no-check",
      "--no-banner",
      "--export-referenced-types",
      "false",
      "--project",
      "tsconfig.build.json",
      "-o",
      path.join(root, "dist", "index.d.ts"),
      "src/index.ts",
    ],
    { cwd: root, stdio: "inherit" },
  );
  if (dts.status !== 0) throw new Error("dts-bundle-generator could not write dist/index.d.ts (see above)");
  await writeFile(path.join(root, "dist", "help.json"), `${JSON.stringify(prerenderHelp(), null, 2)}\n`);
}

/** bcryptjs imports node's crypto at its top for randomBytes, which llm never asks of it; the
 * bundles give it src/util/bcrypt-crypto.ts instead, so checking an htpasswd line does not load
 * node:crypto (and its ~45 built-in modules) into an everyday run. */
const bcryptCryptoShim = {
  name: "bcryptjs-crypto",
  setup(build) {
    build.onResolve({ filter: /^crypto$/ }, (args) =>
      /[\\/]node_modules[\\/]bcryptjs[\\/]/.test(args.importer) ? { path: path.join(root, "src", "util", "bcrypt-crypto.ts") } : undefined,
    );
  },
};

/** The license of every package whose code the bundles carry (esbuild's metafiles name them), as
 * each package ships it: the bundles drop the packages' own comments (legalComments: "none"), and
 * licenses such as MIT and Apache-2.0 ask that copies keep the notice. */
async function thirdPartyNotices(metafiles) {
  const packages = new Map();
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) packages.set(match[1], path.join(root, match[1]));
    }
  }
  const sections = [];
  for (const dir of new Set(packages.values())) {
    const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
    const names = (await readdir(dir)).filter((name) => /^(licen[cs]e|copying|notice)(\.|-|$)/i.test(name)).sort();
    if (!names.some((name) => !/^notice/i.test(name))) throw new Error(`${manifest.name} ships no license file: add its license text to the notices by hand`);
    const texts = await Promise.all(names.map(async (name) => (await readFile(path.join(dir, name), "utf8")).trim()));
    sections.push({ name: manifest.name, text: `${manifest.name} ${manifest.version} (${manifest.license})\n${"-".repeat(78)}\n${texts.join("\n\n")}\n` });
  }
  sections.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rule = "=".repeat(78);
  return `Third-party code bundled into dist/, with each package's license as the package ships it.\n\n${sections.map((section) => `${rule}\n${section.text}`).join("\n")}`;
}

/** Help text as yargs renders it, for `llm --help` and each `llm <command> --help`
 * (src/cli/fast-help.ts serves it without loading yargs). */
function prerenderHelp() {
  const cli = path.join(root, "dist", "llm.cjs");
  const render = (args) => {
    const result = spawnSync(process.execPath, [cli, ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, LLM_NO_FAST_HELP: "1", NO_COLOR: "1", LLM_CACHE_DIR: "off" },
    });
    if (result.status !== 0) throw new Error(`llm ${args.join(" ")} failed: ${result.stderr}`);
    return result.stdout;
  };
  const root_ = render(["--help"]);
  const commands = [...root_.matchAll(/^ {2}llm ([a-z]+)/gm)].map((match) => match[1]);
  return Object.fromEntries([["", root_], ...commands.map((name) => [name, render([name, "--help"])])]);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
