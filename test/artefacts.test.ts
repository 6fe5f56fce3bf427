// The precompiled validators, templates, presets and types must be what the sources produce now.
import { readFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers/paths.js";

const test = suite("precompiled artefacts match their sources");

test("src/generated/* equals a fresh in-memory rebuild from schemas/, templates/ and presets/", async () => {
  const { buildArtefacts } = (await import(path.join(ROOT, "scripts", "artefacts.mjs"))) as {
    buildArtefacts: (root: string) => Promise<Record<string, string>>;
  };
  const fresh = await buildArtefacts(ROOT);
  assert.ok(Object.keys(fresh).length >= 7);
  for (const [name, text] of Object.entries(fresh)) {
    assert.is(readFileSync(path.join(ROOT, "src", "generated", name), "utf8"), text, `${name} is stale: run npm run build`);
  }
});

test("the bundle was built after the generated artefacts", async () => {
  const { statSync } = await import("node:fs");
  const bundle = statSync(path.join(ROOT, "dist", "core.cjs")).mtimeMs;
  for (const name of ["validators.js", "templates.js", "presets.js"]) {
    assert.ok(statSync(path.join(ROOT, "src", "generated", name)).mtimeMs <= bundle, `${name} is newer than dist/core.cjs: run npm run build`);
  }
});

test.run();
