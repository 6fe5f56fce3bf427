// `llm presets`: the list with one line each, and one preset's values.
import { readFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertGoldenText } from "./helpers/golden-text.js";
import { ROOT } from "./helpers/paths.js";
import { runCli } from "./helpers/workspace.js";

const test = suite("llm presets: list and show");

const presetFile = (name: string) => JSON.parse(readFileSync(path.join(ROOT, "presets", `${name}.json`), "utf8"));

test("lists every preset with its description (golden)", async () => {
  const run = await runCli(["presets"], ROOT);
  assert.is(run.code, 0, run.stderr);
  assertGoldenText("presets-list", run.stdout);
  const same = await runCli(["presets", "list"], ROOT);
  assert.is(same.stdout, run.stdout);
});

test("--json lists names, descriptions and files from presets/", async () => {
  const run = await runCli(["presets", "--json"], ROOT);
  const out = JSON.parse(run.stdout) as { presets: { name: string; description: string; file: string }[] };
  assert.equal(
    out.presets.map((p) => p.name),
    ["amd", "cpu", "low-ram", "nvidia"],
  );
  for (const p of out.presets) assert.is(p.description, presetFile(p.name).description);
});

test("show NAME prints its values, nulls explained (golden)", async () => {
  const run = await runCli(["presets", "show", "cpu"], ROOT);
  assert.is(run.code, 0, run.stderr);
  assertGoldenText("presets-show-cpu", run.stdout);
  const lowRam = await runCli(["presets", "show", "low-ram"], ROOT);
  assertGoldenText("presets-show-low-ram", lowRam.stdout);
});

test("show --json gives the preset's values as shipped, with the image catalog's pins written in", async () => {
  const { presetsWithCatalog } = (await import(path.join(ROOT, "scripts", "artefacts.mjs"))) as {
    presetsWithCatalog: (root: string) => Promise<{ presets: Record<string, Record<string, unknown>> }>;
  };
  const { presets } = await presetsWithCatalog(ROOT);
  for (const name of ["nvidia", "defaults", "amd"]) {
    const run = await runCli(["presets", "show", name, "--json"], ROOT);
    assert.is(run.code, 0);
    const { $schema: _s, description, reasons = {}, ...values } = presets[name]!;
    assert.equal(JSON.parse(run.stdout), { ok: true, name, file: `presets/${name}.json`, description, reasons, values });
  }
  // The file itself holds no pin: catalog/images.json does.
  assert.is(presetFile("defaults").librechat.image, undefined);
  assert.is(
    (JSON.parse((await runCli(["presets", "show", "defaults", "--json"], ROOT)).stdout) as { values: { librechat: { image: string } } }).values.librechat.image,
    "ghcr.io/danny-avila/librechat:v0.8.7",
  );
});

test("an unknown preset is an error with a suggestion; show needs a name", async () => {
  const run = await runCli(["presets", "show", "nvida"], ROOT);
  assert.is(run.code, 2);
  assert.is(
    run.stderr,
    'error PRESET_UNKNOWN: unknown preset "nvida"; did you mean "nvidia"?\nhint: choose one of amd, cpu, low-ram, nvidia (or "defaults" for the built-in values)\n',
  );
  const json = await runCli(["presets", "show", "nvida", "--json"], ROOT);
  assert.is(JSON.parse(json.stdout).error.code, "PRESET_UNKNOWN");
  const none = await runCli(["presets", "show"], ROOT);
  assert.is(none.code, 2);
  assert.is(none.stderr, "error USAGE: name the preset to show\nhint: llm presets show amd\n");
  const stray = await runCli(["presets", "nvidia"], ROOT);
  assert.is(stray.code, 2);
  assert.is(stray.stderr, 'error USAGE: unknown action "nvidia": expected list or show\nhint: to see one preset: llm presets show nvidia\n');
});

test.run();
