// `llm diff`: unified diffs of what generate would change, exit codes like `git diff --exit-code`,
// other presets or configs, colors only on a terminal, and secrets never shown unless asked.
// Every `llm diff` run through runCli is also checked for secret values (helpers/workspace.ts).
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseSecrets } from "../src/secrets/store.js";
import { CONFIG, MANIFEST, inFolder, inGeneratedFolder, read } from "./helpers/committed.js";
import { assertNoSecretShown, diffOutputsChecked, removeDir, runCli, snapshot, workspaceWith } from "./helpers/workspace.js";

const test = suite("llm diff: unified diffs, exit codes, presets, colors, redaction");

const secrets = (dir: string) => new Map([...parseSecrets(read(dir, "secrets.env"))].map(([k, v]) => [k, v.value]));
const ESC = "\u001b[";

test("identical: exit 0 and no output", async () => {
  await inGeneratedFolder(async (dir) => {
    const run = await runCli(["diff"], dir);
    assert.equal(run, { code: 0, stdout: "", stderr: "" });
  });
});

test("a config change: exactly the changed lines of each file, git style, exit 1; nothing written", async () => {
  await inGeneratedFolder(async (dir) => {
    const oldEnv = read(dir, ".env");
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("models:", 'librechat: { title: "Team Chat" }, models:'));
    const before = snapshot(dir);
    const run = await runCli(["diff"], dir);
    assert.is(run.code, 1);
    assert.is(run.stderr, "");
    const newEnv = oldEnv.replace("APP_TITLE=LibreChat", "APP_TITLE='Team Chat'");
    assert.fixture(
      run.stdout,
      [
        "diff --git a/.env b/.env",
        "--- a/.env",
        "+++ b/.env",
        "@@ -9,7 +9,7 @@",
        " PORT=3080",
        " DOMAIN_CLIENT=http://localhost:3080",
        " DOMAIN_SERVER=http://localhost:3080",
        "-APP_TITLE=LibreChat",
        "+APP_TITLE='Team Chat'",
        " NO_INDEX=true",
        " CONFIG_PATH=/app/librechat.yaml",
        " ",
        // The manifest's hashes follow the files above: not repeated as a hunk of 64-digit lines.
        "diff --git a/.llm/manifest.json b/.llm/manifest.json",
        "# only the hashes of the files above change (not shown)",
        "",
      ].join("\n"),
    );
    assert.equal(snapshot(dir), before);
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    assert.is(read(dir, ".env"), newEnv, "generate writes what diff showed");
  });
});

test("the manifest's hunks show which files it gains or loses, never their hashes", async () => {
  await inGeneratedFolder(async (dir) => {
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("models:", "monitoring: { enabled: true }, models:"));
    const run = await runCli(["diff"], dir);
    assert.is(run.code, 1);
    const manifest = run.stdout.slice(run.stdout.indexOf("diff --git a/.llm/manifest.json"));
    assert.match(manifest, '+    "prometheus/prometheus.yml": {\n+      "sha256": "…"\n+    },');
    assert.not.match(manifest, /[0-9a-f]{64}/);
    assert.match(run.stdout.slice(0, run.stdout.indexOf("diff --git a/.llm/manifest.json")), "+scrape_configs:", "the files themselves are diffed as before");
  });
});

test("a fresh folder: every file is new, the secrets file shows placeholders, never values", async () => {
  await inFolder(CONFIG, async (dir) => {
    const run = await runCli(["diff"], dir);
    assert.is(run.code, 1);
    const headers = run.stdout.split("\n").filter((line) => line.startsWith("diff --git") || line.startsWith("new file"));
    assert.equal(headers, [
      "diff --git a/docker-compose.yml b/docker-compose.yml",
      "new file mode 100644",
      "diff --git a/.env b/.env",
      "new file mode 100644",
      "diff --git a/librechat.yaml b/librechat.yaml",
      "new file mode 100644",
      "diff --git a/.gitignore b/.gitignore",
      "new file mode 100644",
      "diff --git a/.gitattributes b/.gitattributes",
      "new file mode 100644",
      "diff --git a/secrets.env b/secrets.env",
      "new file mode 100600",
      "diff --git a/secrets/librechat.env b/secrets/librechat.env",
      "new file mode 100600",
      "diff --git a/secrets/meilisearch.env b/secrets/meilisearch.env",
      "new file mode 100600",
      "diff --git a/secrets/mongodb.env b/secrets/mongodb.env",
      "new file mode 100600",
      "diff --git a/.llm/manifest.json b/.llm/manifest.json",
      "new file mode 100644",
    ]);
    // The services' env files show names, never values (new ones are not drawn yet).
    assert.ok(run.stdout.includes("\n+CREDS_KEY=<new random value>\n+JWT_REFRESH_SECRET=<new random value>\n"), run.stdout);
    assert.ok(run.stdout.includes("\n+MONGO_URI=<new random value>\n"), run.stdout);
    for (const name of ["CREDS_IV", "CREDS_KEY", "JWT_REFRESH_SECRET", "JWT_SECRET", "MEILI_MASTER_KEY"])
      assert.ok(run.stdout.includes(`\n+${name}=<new random value>\n`), name);
    assert.equal([...snapshot(dir).keys()], ["llm.config.ts"], "diff writes nothing");
  });
});

test("secrets: redacted in context and changes by default; --show-secrets shows existing values only", async () => {
  await inGeneratedFolder(async (dir) => {
    const values = secrets(dir);
    // (No data in data/mongodb-8.0 yet: a lost CREDS_IV is made anew; with data it is SECRET_LOST, test/secrets-safety.test.ts.)
    writeFileSync(path.join(dir, "secrets.env"), read(dir, "secrets.env").replace(/^CREDS_IV=.*\n/m, "") + "OPENROUTER_KEY=sk-or-v1-user-own-key\n");
    const run = await runCli(["diff"], dir);
    assert.is(run.code, 1);
    assert.ok(run.stdout.includes("\n+CREDS_IV=<new random value>\n"), run.stdout);
    assert.ok(run.stdout.includes("\n MEILI_MASTER_KEY=<redacted>\n MONGO_PASSWORD=<redacted>\n OPENROUTER_KEY=<redacted>\n"), run.stdout);
    assert.not.ok(run.stdout.includes("sk-or-v1-user-own-key"));
    // LibreChat's env file follows secrets.env (a new CREDS_IV, the user's key), names only.
    assert.ok(run.stdout.includes("diff --git a/secrets/librechat.env b/secrets/librechat.env\n"), run.stdout);
    assert.ok(run.stdout.includes("\n-CREDS_IV=<redacted>\n+CREDS_IV=<new random value>\n CREDS_KEY=<redacted>\n"), run.stdout);
    assert.ok(run.stdout.includes("\n MONGO_URI=<redacted>\n+OPENROUTER_KEY=<redacted>\n"), run.stdout);

    const shown = await runCli(["diff", "--show-secrets"], dir);
    assert.is(shown.code, 1);
    assert.ok(shown.stdout.includes(`\n JWT_SECRET=${values.get("JWT_SECRET")}\n`), shown.stdout);
    assert.ok(shown.stdout.includes("\n OPENROUTER_KEY=sk-or-v1-user-own-key\n"), shown.stdout);
    // A value not drawn yet is not the one generate would write: never printed as if it were.
    assert.ok(shown.stdout.includes("\n+CREDS_IV=<new random value>\n"), shown.stdout);
  });
});

test("a secret value that reaches another file is redacted there too", async () => {
  await inGeneratedFolder(async (dir) => {
    const key = secrets(dir).get("MEILI_MASTER_KEY")!;
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("models:", `librechat: { title: "${key}" }, models:`));
    const run = await runCli(["diff"], dir);
    assert.is(run.code, 1);
    assert.ok(run.stdout.includes("\n-APP_TITLE=LibreChat\n+APP_TITLE=<redacted>\n"), run.stdout);
  });
});

test("the secrets file's mode: a loosened mode shows as a mode change", async () => {
  await inGeneratedFolder(async (dir) => {
    chmodSync(path.join(dir, "secrets.env"), 0o644);
    const run = await runCli(["diff"], dir);
    assert.is(run.code, 1);
    assert.is(run.stdout, "diff --git a/secrets.env b/secrets.env\nold mode 100644\nnew mode 100600\n");
  });
});

test("--preset: what would change with other presets (added or swapped); disk untouched", async () => {
  await inGeneratedFolder(async (dir) => {
    const before = snapshot(dir);
    const nvidia = await runCli(["diff", "--preset", "nvidia"], dir);
    assert.is(nvidia.code, 1);
    assert.ok(nvidia.stdout.includes("\n-  # Ollama model server (CPU)\n+  # Ollama model server (NVIDIA GPU)\n"), nvidia.stdout);
    assert.ok(
      nvidia.stdout.includes(
        "+        reservations:\n+          devices:\n+            - driver: nvidia\n+              count: all\n+              capabilities:\n+                - gpu\n",
      ),
      nvidia.stdout,
    );
    const added = await runCli(["diff", "--preset", "cpu", "--preset", "low-ram"], dir);
    assert.is(added.code, 1);
    assert.ok(added.stdout.includes("+      OLLAMA_KV_CACHE_TYPE: q8_0\n"), added.stdout);
    assert.not.ok(added.stdout.includes("driver: nvidia"));
    const commas = await runCli(["diff", "--preset", "cpu,low-ram"], dir);
    assert.is(commas.stdout, added.stdout);
    assert.equal(await runCli(["diff", "--preset", "cpu"], dir), { code: 0, stdout: "", stderr: "" });
    assert.equal(snapshot(dir), before);
  });
});

test("--preset with an unknown or conflicting name: exit 2 naming --preset", async () => {
  await inGeneratedFolder(async (dir) => {
    const unknown = await runCli(["diff", "--preset", "nvida"], dir);
    assert.is(unknown.code, 2);
    assert.ok(
      unknown.stderr.startsWith('error PRESET_UNKNOWN: --preset has 1 problem\n  --preset: presets: unknown preset "nvida"; expected one of'),
      unknown.stderr,
    );
    const conflict = await runCli(["diff", "--preset", "nvidia", "--preset", "amd"], dir);
    assert.is(conflict.code, 2);
    assert.ok(conflict.stderr.includes("error PRESET_CONFLICT"), conflict.stderr);
  });
});

test("--config: what another config beside it would write into the folder", async () => {
  await inGeneratedFolder(async (dir) => {
    writeFileSync(path.join(dir, "llm.config.gpu.ts"), CONFIG.replace('"cpu"', '"nvidia"'));
    const run = await runCli(["diff", "--config", "llm.config.gpu.ts"], dir);
    assert.is(run.code, 1);
    assert.ok(
      run.stdout.includes(
        "\n-# Generated by local-llm-stack from llm.config.ts. Do not edit: change the config and run `llm generate`.\n+# Generated by local-llm-stack from llm.config.gpu.ts.",
      ),
      run.stdout,
    );
    assert.ok(run.stdout.includes("+            - driver: nvidia\n"), run.stdout);
    const missing = await runCli(["diff", "--config", "nope.ts"], dir);
    assert.is(missing.code, 2);
    assert.ok(missing.stderr.startsWith("error CONFIG_NOT_FOUND: nope.ts does not exist"), missing.stderr);
  });
});

test("hand edits: the diff shows them being undone and says generate will refuse", async () => {
  await inGeneratedFolder(async (dir) => {
    writeFileSync(path.join(dir, ".env"), read(dir, ".env").replace("APP_TITLE=LibreChat", "APP_TITLE=Mine"));
    const run = await runCli(["diff"], dir);
    assert.is(run.code, 1);
    assert.ok(run.stdout.includes("\n-APP_TITLE=Mine\n+APP_TITLE=LibreChat\n"), run.stdout);
    assert.is(run.stderr, "note: .env was edited by hand since `llm generate` wrote it; `llm generate` refuses to overwrite it without --force\n");
  });
});

test("colors on a terminal only: NO_COLOR, non-TTY and --no-color turn them off; FORCE_COLOR and --color turn them on", async () => {
  await inGeneratedFolder(async (dir) => {
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("llama3.2:3b", "qwen2.5:7b"));
    const plain = await runCli(["diff"], dir);
    const tty = await runCli(["diff"], dir, { isTTY: true });
    assert.ok(tty.stdout.includes(`${ESC}32m+      - qwen2.5:7b${ESC}39m`), tty.stdout);
    assert.ok(tty.stdout.includes(`${ESC}31m-      - llama3.2:3b${ESC}39m`));
    assert.ok(tty.stdout.includes(`${ESC}1mdiff --git a/docker-compose.yml b/docker-compose.yml${ESC}22m`));
    assert.is(tty.stdout.replace(/\u001b\[\d+m/g, ""), plain.stdout, "colors only wrap lines");
    assert.not.ok(plain.stdout.includes(ESC));
    assert.not.ok((await runCli(["diff"], dir, { isTTY: true, env: { NO_COLOR: "1" } })).stdout.includes(ESC));
    assert.not.ok((await runCli(["diff", "--no-color"], dir, { isTTY: true })).stdout.includes(ESC));
    assert.ok((await runCli(["diff"], dir, { env: { FORCE_COLOR: "1" } })).stdout.includes(ESC));
    assert.ok((await runCli(["diff", "--color"], dir)).stdout.includes(ESC));
    assert.ok((await runCli(["diff"], dir, { isTTY: true, env: { NO_COLOR: "" } })).stdout.includes(ESC), "an empty NO_COLOR does not count");
  });
});

test("--quiet prints nothing and keeps the exit code; --json gives the files and patches", async () => {
  await inGeneratedFolder(async (dir) => {
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("llama3.2:3b", "qwen2.5:7b"));
    assert.equal(await runCli(["diff", "--quiet"], dir), { code: 1, stdout: "", stderr: "" });
    const json = await runCli(["diff", "--json"], dir);
    assert.is(json.code, 1);
    const report = JSON.parse(json.stdout) as {
      identical: boolean;
      presets: string[];
      files: { path: string; change: string; conflict: null; patch: string }[];
    };
    assert.is(report.identical, false);
    assert.equal(report.presets, ["cpu"]);
    assert.equal(
      report.files.map((f) => [f.path, f.change]),
      [
        ["docker-compose.yml", "update"],
        ["librechat.yaml", "update"],
        [MANIFEST, "update"],
      ],
    );
    assert.ok(report.files[0]!.patch.includes("+      - qwen2.5:7b\n"));
  });
});

test("outside a project: a clear error, exit 2", async () => {
  const dir = workspaceWith("README.md", "no config here\n");
  try {
    mkdirSync(path.join(dir, "sub"));
    const run = await runCli(["diff"], dir);
    assert.is(run.code, 2);
    assert.ok(run.stderr.startsWith("error CONFIG_NOT_FOUND: no config found in this folder"), run.stderr);
  } finally {
    removeDir(dir);
  }
});

test("redaction guard: every diff above was checked, and the check catches a leaked value", () => {
  assert.ok(diffOutputsChecked >= 20, String(diffOutputsChecked));
  const leak = { code: 1, stdout: "+JWT_SECRET=0123456789abcdef0123\n", stderr: "" };
  assert.throws(() => assertNoSecretShown(leak, ["0123456789abcdef0123"]), /printed a secret value/);
  assert.not.throws(() => assertNoSecretShown(leak, ["somethingelse"]));
});

test.run();
