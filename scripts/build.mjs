#!/usr/bin/env node
// Build: turn the data sources (schemas/, templates/, presets/) into precompiled modules under
// src/generated/, then bundle src/ into dist/. Precompiling at build time keeps ajv's compiler and
// Handlebars' parser out of every `llm` start (see ARCHITECTURE.md, "Where the time goes").
import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { buildArtefacts } from "./artefacts.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const generatedDir = path.join(root, "src", "generated");

async function writeIfChanged(file, text) {
  const previous = await readFile(file, "utf8").catch(() => null);
  if (previous !== text) await writeFile(file, text);
}

async function main() {
  const artefacts = await buildArtefacts(root);
  await mkdir(generatedDir, { recursive: true });
  for (const [name, text] of Object.entries(artefacts)) {
    await writeIfChanged(path.join(generatedDir, name), text);
  }
  if (process.argv.includes("--generated-only")) return;

  const esbuild = await import("esbuild");
  await rm(path.join(root, "dist"), { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: "src/bin.ts", index: "src/index.ts" },
    outdir: "dist",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunks/[name]-[hash]",
    // Native or optional modules stay outside the bundle; cosmiconfig would otherwise inline its
    // lazy `typescript` require.
    external: ["oxc-transform", "typescript"],
    banner: {
      js: "import { createRequire as __llmCreateRequire } from 'node:module'; const require = __llmCreateRequire(import.meta.url);",
    },
    legalComments: "none",
    minify: !process.env.LLM_BUILD_NO_MINIFY,
    keepNames: false,
    logLevel: "warning",
  });
  // Declarations for the public API, so `defineConfig` completes keys in an installed package
  // (src/ is not published).
  const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  if (tsc.status !== 0) throw new Error("tsc could not emit the declarations (see above)");
  await writeFile(path.join(root, "dist", "help.json"), `${JSON.stringify(prerenderHelp(), null, 2)}\n`);
  await writeFile(path.join(root, "dist", "index.d.ts"), "// The public API's types, generated from src/ by tsc (tsconfig.build.json).\nexport * from \"./types/index.js\";\n");
}

/** Help text as yargs renders it, for `llm --help` and each `llm <command> --help`
 * (src/cli/fast-help.ts serves it without loading yargs). */
function prerenderHelp() {
  const cli = path.join(root, "dist", "cli.js");
  const render = (args) => {
    const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, LLM_NO_FAST_HELP: "1", NO_COLOR: "1" } });
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
