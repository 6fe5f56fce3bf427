// The fast argument path must hand a command exactly what yargs would, and step aside for
// anything it does not fully understand.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Command } from "../src/cli/command.js";
import { COMMANDS } from "../src/cli/commands/index.js";
import { fastParse } from "../src/cli/fast-args.js";
import { findCommand, main } from "../src/cli/main.js";
import { removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("fast argument path agrees with yargs");

/** Calls main() with the command's run replaced by a recorder; returns the args it received. */
async function argsSeen(argv: string[], yargsOnly: boolean, cwd: string): Promise<Record<string, unknown>> {
  const command = findCommand(argv[0]!) as Command;
  const original = command.run;
  let seen: Record<string, unknown> = {};
  command.run = async (args) => {
    seen = args;
    return 0;
  };
  try {
    const io = { cwd, env: {}, stdout: () => undefined, stderr: () => undefined, isTTY: false };
    assert.is(await main(argv, io, { yargsOnly }), 0);
  } finally {
    command.run = original;
  }
  // Compare what commands read: the globals plus every option a command declares.
  const keys = ["cwd", "config", "json", "quiet", "resolveOptions", ...COMMANDS.flatMap((c) => Object.keys(c.options ?? {}))];
  return Object.fromEntries(keys.map((key) => [key, seen[key]]));
}

const cases = [
  ["generate"],
  ["generate", "--json"],
  ["generate", "-q", "--config", "a/llm.config.ts"],
  ["generate", "-c", "x.json", "--cwd", "sub"],
  ["generate", "--set", "librechat.port=8080", "--set", 'models=["a"]'],
  ["generate", "--no-color"],
  ["generate", "--color", "--quiet"],
  ["generate", "--config=x.yaml", "--json"],
  ["validate", "--json", "--set", "ollama.memory=4g"],
  ["generate", "--check"],
  ["generate", "--force", "--quiet"],
  ["diff", "--preset", "nvidia", "--preset", "low-ram"],
  ["diff", "--show-secrets", "--no-color", "--set", "librechat.port=8080"],
];

test("same arguments for every everyday invocation", async () => {
  const dir = tempDir();
  try {
    for (const argv of cases) {
      assert.ok(fastParse(argv, findCommand), `fast path applies to ${argv.join(" ")}`);
      assert.equal(await argsSeen(argv, false, dir), await argsSeen(argv, true, dir), argv.join(" "));
    }
  } finally {
    removeDir(dir);
  }
});

test("anything else goes to yargs", () => {
  for (const argv of [
    [],
    ["generate", "--help"],
    ["generate", "--jsn"],
    ["generate", "extra"],
    ["genrate"],
    ["models", "list"],
    ["generate", "--color", "--no-color"],
    ["generate", "--json=false"],
  ]) {
    assert.is(fastParse(argv, findCommand), undefined, argv.join(" "));
  }
});

test("each command's own fast options parse as yargs parses them", async () => {
  const dir = tempDir();
  try {
    for (const command of COMMANDS.filter((c) => c.fast)) {
      for (const [name, spec] of Object.entries(command.options ?? {})) {
        const argv = [command.command.split(" ")[0]!, `--${name}`, ...(spec.type === "string" ? ["value"] : [])];
        assert.equal(await argsSeen(argv, false, dir), await argsSeen(argv, true, dir), argv.join(" "));
      }
    }
  } finally {
    removeDir(dir);
  }
});

test.run();
