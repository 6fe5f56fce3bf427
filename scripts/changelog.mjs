#!/usr/bin/env node
// Writes CHANGELOG.md from the image catalog (src/upgrade/changelog.ts); `--check` exits 1 when the
// committed file differs or the catalog breaks its rules. Run `node scripts/build.mjs` first: the
// catalog is read as the build embeds it.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { catalogProblems, renderChangelog } = await import("../src/upgrade/changelog.ts");
const problems = catalogProblems();
for (const problem of problems) console.error(problem);
const file = path.join(root, "CHANGELOG.md");
const text = renderChangelog();
if (process.argv.includes("--check")) {
  const committed = await readFile(file, "utf8").catch(() => null);
  if (committed !== text) console.error("CHANGELOG.md is not what the catalog gives: run node scripts/changelog.mjs");
  process.exit(problems.length > 0 || committed !== text ? 1 : 0);
}
await writeFile(file, text);
process.exit(problems.length > 0 ? 1 : 0);
