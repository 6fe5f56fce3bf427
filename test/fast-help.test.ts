// `llm --help` is served from dist/help.json without loading yargs; it must be exactly what yargs
// prints now, for the root and for every command.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { helpKey } from "../src/cli/fast-help.js";
import { CLI, ROOT } from "./helpers/paths.js";
import { runCli, tempDir, removeDir } from "./helpers/workspace.js";

const test = suite("prerendered help equals yargs' help");
const texts = JSON.parse(readFileSync(path.join(ROOT, "dist", "help.json"), "utf8")) as Record<string, string>;

test("help.json holds the root help and one entry per listed command", () => {
  const listed = [...texts[""]!.matchAll(/^ {2}llm ([a-z]+)/gm)].map((m) => m[1]);
  assert.ok(listed.length >= 8);
  assert.equal(Object.keys(texts).sort(), ["", ...listed].sort());
});

test("every prerendered text equals what main() prints through yargs", async () => {
  const dir = tempDir();
  try {
    for (const [key, text] of Object.entries(texts)) {
      const run = await runCli(key ? [key, "--help"] : ["--help"], dir);
      assert.is(run.code, 0);
      assert.fixture(run.stdout, text, `llm ${key} --help`);
    }
  } finally {
    removeDir(dir);
  }
});

test("only plain help requests take the fast path", () => {
  assert.is(helpKey(["--help"]), "");
  assert.is(helpKey(["-h"]), "");
  assert.is(helpKey(["generate", "--help"]), "generate");
  for (const argv of [[], ["generate"], ["generate", "--help", "--json"], ["--help", "generate"], ["../x", "--help"]])
    assert.is(helpKey(argv), undefined, argv.join(" "));
});

test("the real bin prints the same bytes with and without the fast path", () => {
  for (const args of [["--help"], ["generate", "--help"], ["models", "--help"]]) {
    const fast = execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
    const slow = execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, LLM_NO_FAST_HELP: "1" } });
    assert.is(fast, slow, args.join(" "));
  }
});

test.run();
