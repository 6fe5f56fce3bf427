#!/usr/bin/env node
// Runs every test/**/*.test.ts with uvu (TypeScript through tsx) and ends with one line
// `N passed, N failed` that CI reads. Usage: node test/run.mjs [filter-substring ...]
import { mkdtempSync, rmSync } from "node:fs";
import { readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
// Every `llm` the tests start keeps its caches (src/cli/code-cache.ts) in a folder of this run,
// not in the user's ~/.cache.
const cacheDir = mkdtempSync(path.join(os.tmpdir(), "llm-test-cache-"));
process.env.LLM_CACHE_DIR = cacheDir;
process.on("exit", () => rmSync(cacheDir, { recursive: true, force: true }));
const root = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);

async function findTests(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "fixtures") out.push(...(await findTests(full)));
    else if (entry.name.endsWith(".test.ts")) out.push(full);
  }
  return out.sort();
}

const files = (await findTests(root)).filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
globalThis.UVU_DEFER = 1;
globalThis.UVU_QUEUE = globalThis.UVU_QUEUE || [];
const uvu = await import("uvu");

let importFailures = 0;
for (const [index, file] of files.entries()) {
  globalThis.UVU_INDEX = index;
  globalThis.UVU_QUEUE.push([path.relative(root, file)]);
  try {
    await import(pathToFileURL(file).href);
  } catch (error) {
    importFailures++;
    console.error(`\n✘ ${path.relative(root, file)} failed to load:\n${error?.stack ?? error}`);
  }
}

let captured = "";
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  captured += String(chunk);
  return write(chunk, ...rest);
};
await uvu.exec(false);
process.stdout.write = write;

const plain = captured.replace(/\u001b\[[0-9;]*m/g, "");
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const failed = total - passed + importFailures;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
