// Configs that are too big, too deep, circular, never finish, or are not files at all: each is a
// named error with the file and a fix, exit non-zero, and nothing on disk changes.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CLI, ROOT } from "./helpers/paths.js";
import { removeDir, runCli, snapshot, tempDir, workspaceWith } from "./helpers/workspace.js";

const test = suite("config limits: size, depth, cycles, time, scale");

/** The built CLI in a child process, killed after `limitMs` (a hang fails the test, not the run). */
function llm(args: string[], cwd: string, limitMs = 60_000, env: Record<string, string> = {}, uid?: number) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    timeout: limitMs,
    maxBuffer: 1 << 28,
    env: { ...process.env, NO_COLOR: "1", LLM_CACHE_DIR: "off", ...env },
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr, ms: Date.now() - started };
}

test("100,000 models and 200,000 unknown keys take linear time, not quadratic", () => {
  const dir = tempDir();
  try {
    const n = 100_000;
    const config = {
      models: Array.from({ length: n }, (_, i) => `model-${i}:q4`),
      librechat: {
        endpoints: Array.from({ length: n / 10 }, (_, i) => ({
          name: `Endpoint ${i}`,
          baseURL: `https://api${i}.example.com/v1`,
          apiKey: `\${KEY_${i}}`,
          models: { default: [`m-${i}`] },
        })),
      },
    };
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify(config));
    // Quadratic validation took ~10 s at 30,000 models, so ~110 s at 100,000; linear takes ~1.5 s.
    const models = llm(["validate", "--quiet"], dir);
    assert.is(models.status, 0, models.stderr + (models.signal ?? ""));
    assert.ok(models.ms < 20_000, `${n} models: ${models.ms} ms`);

    const unknown: Record<string, number> = {};
    for (let i = 0; i < 200_000; i++) unknown[`k${i}`] = 1;
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify(unknown));
    const keys = llm(["validate"], dir);
    assert.is(keys.status, 2, keys.signal ?? "");
    assert.match(keys.stderr, /^error CONFIG_INVALID: llm\.config\.json has 200000 problems\n/);
    assert.ok(keys.ms < 20_000, `200,000 unknown keys: ${keys.ms} ms`);
  } finally {
    removeDir(dir);
  }
});

/** What every refusal here shares: a named error, no stack trace, no "undefined", files unchanged. */
function assertRefused(run: { status: number | null; stderr: string }, code: string, before: ReturnType<typeof snapshot>, dir: string) {
  assert.is(run.status, code === "READ_FAILED" ? 3 : 2, run.stderr);
  assert.match(run.stderr, new RegExp(`^error ${code}: `));
  assert.not.match(run.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
  assert.not.match(run.stderr, /undefined/);
  assert.equal(snapshot(dir), before, "every file as it was");
}

const DEFAULT_LEAVES = (() => {
  const defaults = JSON.parse(readFileSync(path.join(ROOT, "presets", "defaults.json"), "utf8")) as Record<string, unknown>;
  const out: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (at) out.push(at);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) if (key !== "$schema" && key !== "description") walk(child, at ? `${at}.${key}` : key);
    }
  };
  walk(defaults, "");
  return out;
})();
const ALL_MODULES = [
  "--set",
  "monitoring.enabled=true",
  "--set",
  "security.enabled=true",
  "--set",
  "security.domain=chat.example.com",
  "--set",
  "security.email=ops@example.com",
  "--set",
  "scaling.enabled=true",
];

test("null on any value that only has a default, from --set or the file: the stack works or a named error says which null, never a crash", async () => {
  assert.ok(DEFAULT_LEAVES.length > 60, String(DEFAULT_LEAVES.length));
  const dir = workspaceWith("llm.config.json", JSON.stringify({ models: ["llama3.2:3b"] }));
  try {
    const before = snapshot(dir);
    let named = 0;
    for (const at of DEFAULT_LEAVES) {
      for (const modules of [[], ALL_MODULES]) {
        // In-process: before the fix, the missing value threw out of main() (exit 70 with a stack trace).
        const run = await runCli(["validate", "--set", `${at}=null`, ...modules], dir);
        assert.ok(run.code === 0 || run.code === 2, `${at}: exit ${run.code}: ${run.stderr}`);
        if (run.code === 2) {
          named++;
          assert.match(run.stderr, /^error CONFIG_INVALID: --set has 1 problem\n  --set: /, at);
          assert.match(run.stderr, `--set ${at}=null deletes a value only the defaults set`);
        }
      }
    }
    assert.ok(named >= 30, `${named} nulls are named errors`);
    // The same from the file: its own name and path.
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ models: ["llama3.2:3b"], ollama: { image: null } }));
    const fromFile = await runCli(["generate"], dir);
    assert.is(fromFile.code, 2);
    assert.is(
      fromFile.stderr,
      'error CONFIG_INVALID: llm.config.json has 1 problem\n  llm.config.json: ollama.image: null in llm.config.json deletes a value only the defaults set (the built-in default is "ollama/ollama:0.32.15"), and the stack needs one\n      fix: give ollama.image a value, or remove the null to keep the default\nhint: fix the values above and run the command again; `llm validate` checks without writing\n',
    );
    const after = snapshot(dir);
    after.delete("llm.config.json");
    before.delete("llm.config.json");
    assert.equal(after, before);
  } finally {
    removeDir(dir);
  }
});

test("a config that throws null, nothing or a string is a named load error, not an internal one", () => {
  const dir = tempDir();
  try {
    for (const [thrown, said] of [
      ["null", "its code threw null instead of an Error"],
      ["undefined", "its code threw no value instead of an Error"],
      ['"no models today"', "no models today"],
      ["42", "its code threw the number 42 instead of an Error"],
    ]) {
      writeFileSync(path.join(dir, "llm.config.ts"), `import { defineConfig } from "local-llm-stack";\nthrow ${thrown};\nexport default defineConfig({});\n`);
      const before = snapshot(dir);
      const run = llm(["generate"], dir);
      assertRefused(run, "CONFIG_LOAD_FAILED", before, dir);
      assert.is(
        run.stderr,
        `error CONFIG_LOAD_FAILED: llm.config.ts could not be loaded: ${said}\nhint: the config's code threw while loading: fix it so the file only exports the config\n`,
      );
    }
  } finally {
    removeDir(dir);
  }
});

test("circular references and deep nesting are CONFIG_INVALID with the path, not a stack overflow or a SIGSEGV", () => {
  const dir = tempDir();
  try {
    const cases: [string, string, RegExp][] = [
      [
        "llm.config.ts",
        `import { defineConfig } from "local-llm-stack";\nconst ollama: any = { memory: "8g" };\nollama.env = { self: ollama };\nexport default defineConfig({ ollama });\n`,
        /^  llm\.config\.ts: ollama\.env\.self: refers back to a value that contains it \(a circular reference\)$/m,
      ],
      ["llm.config.json", `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`, /^  llm\.config\.json: a(\.a){63}: nested more than 64 levels deep$/m],
      [
        "llm.config.ts",
        `export default ${"{a:".repeat(20_000)}1${"}".repeat(20_000)};\n`,
        /^error CONFIG_INVALID: llm\.config\.ts nests brackets more than 500 levels deep \(line 1\)$/m,
      ],
      [
        "llm.config.mjs",
        `const deep = {};\nlet at = deep;\nfor (let i = 0; i < 20000; i++) at = at.a = {};\nexport default deep;\n`,
        /: nested more than 64 levels deep$/m,
      ],
    ];
    for (const [file, text, expected] of cases) {
      removeDir(dir);
      mkdirSync(dir);
      writeFileSync(path.join(dir, file), text);
      const before = snapshot(dir);
      const run = llm(["generate"], dir);
      assert.is(run.signal, null, `${file}: ${run.signal}`);
      assertRefused(run, "CONFIG_INVALID", before, dir);
      assert.match(run.stderr, expected);
    }
  } finally {
    removeDir(dir);
  }
});

test("a config that never finishes: a promise that never settles, an endless loop, an alias bomb: a named error within the limit", () => {
  const dir = tempDir();
  try {
    const hang = `import { defineConfig } from "local-llm-stack";\nexport default new Promise(() => {});\n`;
    const loop = `import { defineConfig } from "local-llm-stack";\nlet n = 0;\nwhile (true) n++;\nexport default defineConfig({});\n`;
    for (const [text, args] of [
      [hang, ["generate"]],
      [hang, ["generate", "--check"]],
      [hang, ["validate"]],
      [loop, ["generate"]],
    ] as const) {
      writeFileSync(path.join(dir, "llm.config.ts"), text);
      const before = snapshot(dir);
      // Before: exit 0 with no output (the event loop emptied), or a hang until killed.
      const run = llm([...args], dir, 20_000, { LLM_CONFIG_TIMEOUT: "0.5" });
      assertRefused(run, "CONFIG_TIMEOUT", before, dir);
      assert.is(
        run.stderr,
        "error CONFIG_TIMEOUT: llm.config.ts did not finish loading within 0.5 s\nhint: its code never finished (a promise that never settles, an endless loop, a slow import?): make the file export the config; LLM_CONFIG_TIMEOUT=SECONDS changes the limit\n",
      );
    }
    removeDir(dir);
    mkdirSync(dir);
    // 400 bytes that name the same list 9^9 times: ~390 million values once expanded.
    const levels = "abcdefghi".split("");
    const bomb = levels
      .map((name, i) =>
        i === 0
          ? `${name}: &${name} [${Array(9).fill('"lol"').join(",")}]`
          : `${name}: &${name} [${Array(9)
              .fill(`*${levels[i - 1]}`)
              .join(",")}]`,
      )
      .join("\n");
    writeFileSync(path.join(dir, "llm.config.yaml"), `${bomb}\n`);
    const before = snapshot(dir);
    const run = llm(["generate"], dir, 20_000);
    assertRefused(run, "CONFIG_INVALID", before, dir);
    assert.match(run.stderr, /^  llm\.config\.yaml: holds more than 2,000,000 values: the same lists or maps are used again and again/m);
    assert.ok(run.ms < 10_000, `${run.ms} ms`);
    const bad = llm(["validate"], dir, 20_000, { LLM_CONFIG_TIMEOUT: "soon" });
    assert.is(
      bad.stderr,
      'error USAGE: LLM_CONFIG_TIMEOUT must be a number of seconds greater than 0, found "soon"\nhint: e.g. LLM_CONFIG_TIMEOUT=60, or unset it for the default of 30 s\n',
    );
  } finally {
    removeDir(dir);
  }
});

test("a FIFO, a device or a file over 8 MB is refused before it is read", () => {
  const dir = tempDir();
  try {
    execFileSync("mkfifo", [path.join(dir, "llm.config.json")]);
    let before = snapshot(dir);
    // Before: reading the FIFO blocked forever.
    const fifo = llm(["generate"], dir, 20_000);
    assertRefused(fifo, "CONFIG_LOAD_FAILED", before, dir);
    assert.is(
      fifo.stderr,
      "error CONFIG_LOAD_FAILED: llm.config.json is a named pipe (FIFO), not a regular file; llm reads configs only from regular files\nhint: pass --config with the path of the config file itself\n",
    );
    const zero = llm(["validate", "--config", "/dev/zero"], dir, 20_000);
    assertRefused(zero, "CONFIG_LOAD_FAILED", before, dir);
    assert.match(zero.stderr, /^error CONFIG_LOAD_FAILED: \/dev\/zero is a character device, not a regular file/);
    removeDir(dir);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "llm.config.json"), `{"models": ["llama3.2:3b"], "description": "${"x".repeat(9 * 1024 * 1024)}"}`);
    before = snapshot(dir);
    const big = llm(["generate"], dir, 20_000);
    assertRefused(big, "CONFIG_LOAD_FAILED", before, dir);
    assert.is(
      big.stderr,
      "error CONFIG_LOAD_FAILED: llm.config.json is 9.0 MiB; llm refuses configs over 8.0 MiB\nhint: is this the right file? A config holds settings, not data\n",
    );
  } finally {
    removeDir(dir);
  }
});

test("messages name the file and the real cause: unreadable, a folder, a link loop, a missing --cwd, two configs, a missing import", () => {
  const dir = tempDir();
  // Root reads any file: the unreadable case runs as `nobody`, as a user's run would.
  const uid = process.getuid?.() === 0 ? 65534 : undefined;
  try {
    const fresh = () => {
      removeDir(dir);
      mkdirSync(dir);
      if (uid !== undefined) chownSync(dir, uid, uid);
    };
    const expect = (args: string[], code: string, stderr: string, as?: number) => {
      const before = snapshot(dir);
      const run = llm(args, dir, 20_000, {}, as);
      assertRefused(run, code, before, dir);
      assert.is(run.stderr, stderr);
    };
    fresh();
    writeFileSync(path.join(dir, "llm.config.json"), "{}");
    chmodSync(path.join(dir, "llm.config.json"), 0o000);
    if (uid !== undefined) chownSync(path.join(dir, "llm.config.json"), uid, uid);
    expect(
      ["validate"],
      "READ_FAILED",
      "error READ_FAILED: llm.config.json cannot be read (EACCES: permission denied)\nhint: check its permissions (chmod u+r llm.config.json)\n",
      uid,
    );
    fresh();
    mkdirSync(path.join(dir, "llm.config.ts"));
    expect(
      ["validate"],
      "CONFIG_LOAD_FAILED",
      "error CONFIG_LOAD_FAILED: llm.config.ts is a folder, not a config file (EISDIR)\nhint: rename or remove the folder, or pass --config FILE\n",
    );
    fresh();
    symlinkSync("llm.config.ts", path.join(dir, "llm.config.ts"));
    expect(
      ["validate"],
      "CONFIG_LOAD_FAILED",
      "error CONFIG_LOAD_FAILED: llm.config.ts is a symbolic link that never reaches a file (ELOOP: too many levels of symbolic links)\nhint: point the link at the config, or remove it\n",
    );
    fresh();
    expect(
      ["validate", "--cwd", "no-such-folder"],
      "CONFIG_NOT_FOUND",
      `error CONFIG_NOT_FOUND: the folder ${path.join(dir, "no-such-folder")} does not exist (ENOENT)\nhint: check the --cwd path\n`,
    );
    writeFileSync(path.join(dir, "llm.config.ts"), "export default {};\n");
    writeFileSync(path.join(dir, "llm.config.yaml"), "models: [llama3.2:3b]\n");
    expect(
      ["generate"],
      "CONFIG_AMBIGUOUS",
      "error CONFIG_AMBIGUOUS: 2 config files in this folder: llm.config.ts, llm.config.yaml; llm will not guess which one you mean\nhint: keep one of them (remove or rename the others), or choose one with --config llm.config.ts\n",
    );
    fresh();
    writeFileSync(
      path.join(dir, "llm.config.ts"),
      `import { defineConfig } from "local-llm-stack";\nconst name = "./models.js";\nconst { models } = await import(name);\nexport default defineConfig({ models });\n`,
    );
    expect(
      ["validate"],
      "CONFIG_LOAD_FAILED",
      `error CONFIG_LOAD_FAILED: llm.config.ts imports a module that cannot be found: Cannot find module 'models.js' imported from llm.config.ts\nhint: fix the import's path, or install the package it names (npm i PACKAGE)\n`,
    );
  } finally {
    removeDir(dir);
  }
});

test("a 10 MB unknown key is echoed cut short, and found at once", () => {
  const dir = workspaceWith(
    "llm.config.ts",
    `import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ ollama: { ["x".repeat(10_000_000)]: 1 } } as any);\n`,
  );
  try {
    const before = snapshot(dir);
    const run = llm(["validate"], dir, 20_000);
    assertRefused(run, "CONFIG_INVALID", before, dir);
    assert.ok(run.stderr.length < 1000, `${run.stderr.length} characters`);
    assert.match(run.stderr, `  llm.config.ts: ollama["${"x".repeat(79)}…"]: unknown key "${"x".repeat(79)}…" (10000000 characters) (expected one of: image,`);
    assert.ok(run.ms < 10_000, `${run.ms} ms`);
  } finally {
    removeDir(dir);
  }
});

test.run();
