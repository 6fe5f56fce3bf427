// What every command shares: help with examples, short usage errors with suggestions, exit codes,
// --version, completion, colors, --quiet, --cwd, and generate's "next steps".
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { COMMANDS } from "../src/cli/commands/index.js";
import { colorEnabled } from "../src/cli/style.js";
import { assertGoldenText } from "./helpers/golden-text.js";
import { CLI, EXAMPLES, ROOT } from "./helpers/paths.js";
import { copyExample, removeDir, runCli, tempDir } from "./helpers/workspace.js";

const test = suite("llm: global flags, help, usage errors, colors, next steps");

const ESC = "\u001b[";
const names = COMMANDS.map((c) => c.command.split(" ")[0] as string);

test("llm --help lists every command, the global options and the exit codes (golden)", async () => {
  const run = await runCli(["--help"], ROOT);
  assert.is(run.code, 0);
  assertGoldenText("help", run.stdout);
  for (const name of names) assert.match(run.stdout, `llm ${name}`);
});

test("every command's --help has examples", async () => {
  for (const name of ["init", "generate", "validate", "explain", "presets", "doctor", "secrets"]) assert.ok(names.includes(name), name);
  for (const name of names) {
    const run = await runCli([name, "--help"], ROOT);
    assert.is(run.code, 0, name);
    const examples = run.stdout.split("Examples:\n")[1] ?? "";
    assert.ok(
      examples.split("\n").filter((l) => l.startsWith(`  llm ${name}`) || (name === "explain" && l.startsWith("  llm config"))).length >= 2,
      `${name} --help shows at least two examples`,
    );
  }
});

test("no command: the help on stderr, then what the folder lacks, exit 2", async () => {
  const help = (await runCli(["--help"], ROOT)).stdout;
  const empty = tempDir();
  try {
    const none = await runCli([], empty);
    assert.is(none.code, 2);
    assert.is(none.stdout, "");
    assert.is(none.stderr, `${help}\nNo command given, and no config found in this folder.\nStart with: llm init (it writes llm.config.ts)\n`);
    assert.is((await runCli(["init", "--preset", "cpu", "--quiet"], empty)).code, 0);
    assert.ok((await runCli([], empty)).stderr.endsWith("\nNo command given. Config: llm.config.ts, not generated yet.\nNext: llm generate\n"));
    assert.is((await runCli(["generate", "--quiet"], empty)).code, 0);
    mkdirSync(path.join(empty, ".git"));
    mkdirSync(path.join(empty, "sub"));
    assert.ok(
      (await runCli([], path.join(empty, "sub"))).stderr.endsWith(
        "\nNo command given. Config: ../llm.config.ts, generated.\nNext: llm diff (what an edit would change), llm generate (apply it), llm doctor (can this host run it)\n",
      ),
    );
  } finally {
    removeDir(empty);
  }
});

test("an unknown command or option: one line with a suggestion, exit 2, not the whole help", async () => {
  const cases: [string[], string][] = [
    [["gnerate"], 'error USAGE: unknown command "gnerate"; did you mean "generate"?\nhint: run `llm --help` to list the commands\n'],
    [["frobnicate"], 'error USAGE: unknown command "frobnicate"\nhint: run `llm --help` to list the commands\n'],
    [["generate", "--jsn"], "error USAGE: unknown option --jsn; did you mean --json?\nhint: run `llm generate --help` to see its options and examples\n"],
    [["init", "--forse"], "error USAGE: unknown option --forse; did you mean --force?\nhint: run `llm init --help` to see its options and examples\n"],
    [
      ["secrets", "rotate", "JWT_SECRET", "--ye"],
      "error USAGE: unknown option --ye; did you mean --yes?\nhint: run `llm secrets --help` to see its options and examples\n",
    ],
    [["validate", "extra"], 'error USAGE: unexpected argument "extra" for `llm validate`\nhint: run `llm validate --help` to see its options and examples\n'],
    [
      ["init", "--format", "toml"],
      'error USAGE: invalid value "toml" for --format (choose from: ts, json, yaml)\nhint: run `llm init --help` to see its options and examples\n',
    ],
  ];
  for (const [argv, expected] of cases) {
    const run = await runCli(argv, ROOT);
    assert.is(run.code, 2, argv.join(" "));
    assert.is(run.stdout, "");
    assert.is(run.stderr, expected);
  }
});

test("with --json, usage errors are JSON on stdout", async () => {
  const run = await runCli(["gnerate", "--json"], ROOT);
  assert.is(run.code, 2);
  assert.equal(JSON.parse(run.stdout), {
    ok: false,
    error: { code: "USAGE", message: 'unknown command "gnerate"; did you mean "generate"?', hint: "run `llm --help` to list the commands", diagnostics: [] },
  });
});

test("--version prints the package version", async () => {
  const run = await runCli(["--version"], ROOT);
  assert.is(run.stdout, `${JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version}\n`);
});

test("shell completion: command and option names on request", async () => {
  const commands = await runCli(["--get-yargs-completions", "llm", "se"], ROOT);
  assert.equal(commands.stdout.trim().split("\n"), names);
  const options = await runCli(["--get-yargs-completions", "llm", "init", "--"], ROOT);
  for (const option of ["--preset", "--model", "--format", "--force", "--json", "--set"]) assert.ok(options.stdout.split("\n").includes(option), option);
});

test("shell completion: help and the command names after it, secrets' actions, the complete backups' names for restore (newest first)", async () => {
  const words = async (cwd: string, ...typed: string[]) => (await runCli(["--get-yargs-completions", "llm", ...typed], cwd)).stdout.split("\n").filter(Boolean);
  assert.ok((await words(ROOT, "")).includes("help"), "help is not offered");
  assert.equal(await words(ROOT, "help", ""), names);
  assert.equal(await words(ROOT, "help", "ge"), ["generate"]);
  const actions = (await words(ROOT, "secrets", "")).filter((word) => !word.startsWith("-"));
  assert.equal(actions, ["list", "rotate", "set"]);
  assert.equal(await words(ROOT, "secrets", "r"), ["rotate"]);
  const dir = tempDir();
  try {
    writeFileSync(
      path.join(dir, "llm.config.ts"),
      'import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ presets: ["cpu"], models: ["llama3.2:3b"] });\n',
    );
    for (const [name, marker] of [
      ["2026-12-01T00-00-00Z", "COMPLETE"],
      ["2026-12-02T00-00-00Z", "INCOMPLETE"],
      ["2026-12-03T00-00-00Z", "COMPLETE"],
    ] as const) {
      mkdirSync(path.join(dir, "backups", name), { recursive: true });
      writeFileSync(path.join(dir, "backups", name, marker), "x\n");
    }
    writeFileSync(path.join(dir, "backups", ".gitignore"), "*\n");
    assert.equal(
      (await words(dir, "restore", "")).filter((word) => !word.startsWith("-")),
      ["2026-12-03T00-00-00Z", "2026-12-01T00-00-00Z"],
    );
    assert.equal(await words(dir, "restore", "2026-12-01"), ["2026-12-01T00-00-00Z"]);
  } finally {
    removeDir(dir);
  }
});

test("llm completion --help prints its help, not the script", async () => {
  const run = await runCli(["completion", "--help"], ROOT);
  assert.is(run.code, 0);
  assert.ok(run.stdout.startsWith("llm completion\n"), run.stdout);
  assert.match(run.stdout, "--shell");
  assert.not.match(run.stdout, "completions-###");
  const bin = spawnSync(process.execPath, [CLI, "completion", "--help"], { encoding: "utf8" });
  assert.is(bin.stdout, run.stdout, "the prerendered help is the same");
});

/** Completes `words` in a real bash that sourced the script, in `cwd`, with no llm on PATH. */
function bashCompletes(script: string, cwd: string, words: string[]): string[] {
  const line = words.map((w) => `'${w}'`).join(" ");
  const fn = words[0] === "npx" ? "_llm_npx_completions" : "_llm_completions";
  const program = `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = spawnSync("bash", ["--norc", "--noprofile", "-c", program], {
    cwd,
    encoding: "utf8",
    env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: cwd },
  });
  assert.is(run.status, 0, run.stderr);
  return run.stdout.split("\n").filter(Boolean);
}

test("llm completion: bash completes `npx llm` and `llm` from a project's node_modules, in its sub-folders, without llm on PATH", async () => {
  const project = tempDir();
  try {
    const run = await runCli(["completion"], project, { env: { SHELL: "/bin/bash" } });
    assert.is(run.code, 0);
    assert.match(run.stdout, "complete -o bashdefault -o default -F _llm_npx_completions npx");
    // What `npm i -D local-llm-stack` makes: node_modules/.bin/llm, a link to the package's bin.
    mkdirSync(path.join(project, "node_modules", ".bin"), { recursive: true });
    symlinkSync(CLI, path.join(project, "node_modules", ".bin", "llm"));
    const deep = path.join(project, "deploy", "prod");
    mkdirSync(deep, { recursive: true });
    assert.equal(bashCompletes(run.stdout, deep, ["npx", "llm", "ge"]), ["generate"]);
    assert.equal(bashCompletes(run.stdout, project, ["llm", "sec"]), ["secrets"]);
    assert.ok(bashCompletes(run.stdout, project, ["npx", "llm", "init", "--fo"]).includes("--force"));
    assert.equal(bashCompletes(run.stdout, project, ["npx", "prettier", "--wr"]), [], "another npx command is left alone");
    const zsh = await runCli(["completion"], project, { env: { SHELL: "/usr/bin/zsh" } });
    assert.match(zsh.stdout, "compdef _llm_yargs_completions llm npx");
    assert.is((await runCli(["completion", "--shell", "bash"], project, { env: { SHELL: "/usr/bin/zsh" } })).stdout, run.stdout);
  } finally {
    removeDir(project);
  }
});

/** Completes `words` in zsh with the script loaded: zsh's completion system is stubbed (its
 * widgets run only inside the line editor), so what is checked is the script's own logic: which
 * llm it asks, what it asks, and what it hands to _describe. */
function zshCompletes(script: string, cwd: string, words: string[]): string[] {
  const program = [
    'compdef() { :; }; _default() { print -- "<default>"; }; _describe() { print -l -- "${(@P)2}"; }',
    script,
    `words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length}`,
    "_llm_yargs_completions",
  ].join("\n");
  const run = spawnSync("zsh", ["-f", "-c", program], {
    cwd,
    encoding: "utf8",
    env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: cwd, SHELL: "/usr/bin/zsh" },
  });
  assert.is(run.status, 0, run.stderr);
  return run.stdout.split("\n").filter(Boolean);
}

test("llm completion --shell zsh: completes `npx llm` and `llm` from a project's node_modules, leaves other npx commands alone", async () => {
  const project = tempDir();
  try {
    const script = (await runCli(["completion", "--shell", "zsh"], project)).stdout;
    assert.is(spawnSync("zsh", ["-n", "-c", script]).status, 0, "the script parses");
    mkdirSync(path.join(project, "node_modules", ".bin"), { recursive: true });
    symlinkSync(CLI, path.join(project, "node_modules", ".bin", "llm"));
    const deep = path.join(project, "deploy");
    mkdirSync(deep);
    assert.ok(
      zshCompletes(script, deep, ["npx", "llm", "ge"]).some((line) => line.startsWith("generate")),
      "npx llm ge",
    );
    assert.ok(
      zshCompletes(script, project, ["llm", "sec"]).some((line) => line.startsWith("secrets")),
      "llm sec",
    );
    assert.equal(zshCompletes(script, project, ["npx", "prettier", "--wr"]), ["<default>"]);
  } finally {
    removeDir(project);
  }
});

test("llm help <command> is <command> --help; llm help is --help (in-process and from the bin)", async () => {
  for (const name of names) {
    const help = await runCli(["help", name], ROOT);
    assert.is(help.code, 0, name);
    assert.is(help.stdout, (await runCli([name, "--help"], ROOT)).stdout, name);
  }
  assert.is((await runCli(["help"], ROOT)).stdout, (await runCli(["--help"], ROOT)).stdout);
  for (const env of [{}, { LLM_NO_FAST_HELP: "1" }]) {
    const bin = spawnSync(process.execPath, [CLI, "help", "secrets"], { encoding: "utf8", env: { ...process.env, ...env } });
    assert.is(bin.status, 0);
    assert.is(bin.stdout, (await runCli(["secrets", "--help"], ROOT)).stdout);
  }
  const typo = await runCli(["help", "gnerate"], ROOT);
  assert.is(typo.code, 2);
  assert.is(typo.stderr, 'error USAGE: unknown command "gnerate"; did you mean "generate"?\nhint: run `llm --help` to list the commands\n');
});

test("a mistyped action suggests the action, keeping the name: llm secrets rotat X, llm presets shw cpu", async () => {
  const cases: [string[], string][] = [
    [
      ["secrets", "rotat", "JWT_SECRET"],
      'error USAGE: unknown action "rotat": expected list, rotate or set; did you mean "rotate"?\nhint: to rotate a secret: llm secrets rotate JWT_SECRET\n',
    ],
    [
      ["secrets", "JWT_SECRET"],
      'error USAGE: unknown action "JWT_SECRET": expected list, rotate or set\nhint: to rotate a secret: llm secrets rotate JWT_SECRET\n',
    ],
    [
      ["secrets", "lst"],
      'error USAGE: unknown action "lst": expected list, rotate or set; did you mean "list"?\nhint: llm secrets list (or just llm secrets)\n',
    ],
    [
      ["secrets", "sett", "GROQ_API_KEY"],
      'error USAGE: unknown action "sett": expected list, rotate or set; did you mean "set"?\nhint: to store a secret of yours: llm secrets set GROQ_API_KEY\n',
    ],
    [
      ["presets", "shw", "cpu"],
      'error USAGE: unknown action "shw": expected list or show; did you mean "show"?\nhint: to see one preset: llm presets show cpu\n',
    ],
  ];
  for (const [argv, expected] of cases) {
    const run = await runCli(argv, ROOT);
    assert.is(run.code, 2, argv.join(" "));
    assert.is(run.stderr, expected, argv.join(" "));
  }
});

test("colors: on at a terminal; off when piped, with NO_COLOR or --no-color; forced with --color or FORCE_COLOR", async () => {
  const dir = copyExample(path.join(EXAMPLES, "minimal-cpu"));
  try {
    const colored = async (argv: string[], options: { isTTY: boolean; env?: Record<string, string> }) => {
      const run = await runCli(argv, dir, options);
      return (run.stdout + run.stderr).includes(ESC);
    };
    assert.ok(await colored(["explain"], { isTTY: true }));
    assert.ok(await colored(["gnerate"], { isTTY: true }), "errors too");
    assert.not.ok(await colored(["explain"], { isTTY: false }));
    assert.not.ok(await colored(["explain"], { isTTY: true, env: { NO_COLOR: "1" } }));
    assert.not.ok(await colored(["explain", "--no-color"], { isTTY: true }));
    assert.not.ok(await colored(["explain"], { isTTY: true, env: { TERM: "dumb" } }));
    assert.ok(await colored(["explain", "--color"], { isTTY: false }));
    assert.ok(await colored(["explain"], { isTTY: false, env: { FORCE_COLOR: "1" } }));
    assert.not.ok(await colored(["explain", "--no-color"], { isTTY: false, env: { FORCE_COLOR: "1" } }));
    // Colors never change the words.
    const plain = (await runCli(["explain"], dir)).stdout;
    const tty = (await runCli(["explain"], dir, { isTTY: true })).stdout;
    assert.is(tty.replace(/\u001b\[[0-9;]*m/g, ""), plain);
    assert.is(colorEnabled(undefined, { env: { NO_COLOR: "" }, isTTY: true }), true, "an empty NO_COLOR does not count");
  } finally {
    removeDir(dir);
  }
});

test("generate: what changed, then the next steps (first run, no change, an edit)", async () => {
  const dir = copyExample(path.join(EXAMPLES, "nvidia-workstation"));
  try {
    const first = await runCli(["generate"], dir);
    assert.is(first.code, 0, first.stderr);
    assertGoldenText("generate-first-run", first.stdout);
    const again = await runCli(["generate"], dir);
    assertGoldenText("generate-unchanged", again.stdout);
    const config = path.join(dir, "llm.config.ts");
    writeFileSync(config, readFileSync(config, "utf8").replace("registration: false", "registration: true"));
    const edited = await runCli(["generate"], dir);
    assertGoldenText("generate-edited", edited.stdout);
    const json = JSON.parse((await runCli(["generate", "--json", "--set", "librechat.port=8080"], dir)).stdout);
    assert.equal(
      { written: json.written, created: json.created, url: json.url, models: json.models },
      {
        written: ["docker-compose.yml", ".env", ".llm/manifest.json"],
        created: [],
        url: "http://localhost:8080",
        models: ["llama3.1:8b", "qwen2.5-coder:7b", "nomic-embed-text"],
      },
    );
  } finally {
    removeDir(dir);
  }
});

test("--quiet: successful commands print nothing", async () => {
  const dir = copyExample(path.join(EXAMPLES, "minimal-cpu"));
  try {
    for (const argv of [["generate"], ["validate"], ["explain"], ["presets"], ["presets", "show", "cpu"], ["secrets"]]) {
      const run = await runCli([...argv, "--quiet"], dir);
      assert.is(run.code, 0, argv.join(" "));
      assert.is(run.stdout + run.stderr, "", argv.join(" "));
    }
  } finally {
    removeDir(dir);
  }
});

test("--cwd works from another folder; --config picks a file", async () => {
  const parent = tempDir();
  try {
    const example = path.join(EXAMPLES, "minimal-cpu", "llm.config.ts");
    const byCwd = await runCli(["validate", "--cwd", path.dirname(example)], parent);
    assert.is(byCwd.stdout, "llm.config.ts is valid (presets: cpu)\n");
    const byConfig = await runCli(["validate", "--config", example], parent);
    assert.is(byConfig.code, 0);
    assert.match(byConfig.stdout, "llm.config.ts is valid");
  } finally {
    removeDir(parent);
  }
});

test.run();
