// The committed-config workflow: a second generate changes nothing, --check names every stale,
// missing and extra file, hand edits are refused until --force, a switched-off module's files go.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import { parse } from "yaml";
import * as assert from "uvu/assert";
import {
  CONFIG,
  CORE_PRIVATE_FILES,
  MANIFEST,
  MONITORING_CONFIG,
  MONITORING_FILES,
  MONITORING_PRIVATE_FILES,
  WRITTEN,
  inFolder,
  inGeneratedFolder,
  manifestFiles,
  pretendGenerated,
  read,
  sleep,
} from "./helpers/committed.js";
import { hasDockerCompose, withoutNewerComposeKeys } from "./helpers/validators.js";
import { listFiles, removeDir, runCli, snapshot, tempDir, workspaceWith } from "./helpers/workspace.js";

const test = suite("committed configs: no-op reruns, --check, hand-edit protection, removed outputs");

const edit = (dir: string, file: string, from: string | RegExp, to: string) => {
  const before = read(dir, file);
  const after = before.replace(from, to);
  assert.is.not(after, before, `edit of ${file} changed nothing`);
  writeFileSync(path.join(dir, file), after);
};

test("generate twice: the second run reports no change and rewrites nothing (bytes, modes, mtimes)", async () => {
  await inGeneratedFolder(async (dir) => {
    assert.equal(listFiles(dir), [
      ".env",
      ".gitattributes",
      ".gitignore",
      path.join(".llm", "manifest.json"),
      "docker-compose.yml",
      "librechat.yaml",
      "llm.config.ts",
      "secrets.env",
      ...CORE_PRIVATE_FILES.map((file) => path.join(...file.split("/"))),
    ]);
    const before = snapshot(dir);
    await sleep(20);
    const json = await runCli(["generate", "--json"], dir);
    assert.is(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { written: string[]; removed: string[]; unchanged: string[]; secretsAdded: string[] };
    assert.equal(report.written, []);
    assert.equal(report.removed, []);
    assert.equal(report.secretsAdded, []);
    assert.equal(report.unchanged, WRITTEN);
    const human = await runCli(["generate"], dir);
    assert.ok(human.stdout.includes("\nNothing changed: the files already match the config.\n"), human.stdout);
    assert.not.ok(/created|updated|removed/.test(human.stdout), human.stdout);
    assert.equal(snapshot(dir), before);
    assert.not.ok(existsSync(path.join(dir, ".llm", "tx")), "no run state is left behind");
  });
});

test("the manifest lists every generated file with the sha256 of its bytes, and no secret", async () => {
  await inGeneratedFolder(async (dir) => {
    const files = manifestFiles(dir);
    assert.equal(Object.keys(files), [".env", ".gitattributes", ".gitignore", "docker-compose.yml", "librechat.yaml", ...CORE_PRIVATE_FILES]);
    // A private file is listed by path only: no hash of a secret is committed.
    for (const file of CORE_PRIVATE_FILES) assert.equal(files[file], { private: true }, file);
    const { createHash } = await import("node:crypto");
    const hash = (text: string) => createHash("sha256").update(text).digest("hex");
    for (const file of ["docker-compose.yml", ".env", "librechat.yaml"]) assert.is(files[file]?.sha256, hash(read(dir, file)), file);
    // .gitignore belongs to the user: only the managed block is the tool's.
    const block = /# >>> local-llm-stack[^\n]*\n[\s\S]*?# <<< local-llm-stack <<</.exec(read(dir, ".gitignore"))?.[0] ?? "";
    assert.is(files[".gitignore"]?.sha256, hash(block));
    const manifest = read(dir, MANIFEST);
    for (const line of read(dir, "secrets.env")
      .split("\n")
      .filter((l) => l.includes("=")))
      assert.not.ok(manifest.includes(line.split("=")[1]!));
  });
});

test("--check passes on an up-to-date folder, ignores the uncommitted secrets file, and writes nothing", async () => {
  await inGeneratedFolder(async (dir) => {
    rmSync(path.join(dir, "secrets.env"));
    const before = snapshot(dir);
    const run = await runCli(["generate", "--check"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.is(run.stdout, "llm generate --check: the generated files are up to date with llm.config.ts\n");
    assert.equal(snapshot(dir), before);
    assert.not.ok(existsSync(path.join(dir, "secrets.env")));
  });
});

test("--check fails on a stale, a missing and an extra file, naming each, and writes nothing", async () => {
  await inGeneratedFolder(async (dir) => {
    pretendGenerated(dir, "monitoring/prometheus.yml", "scrape_configs: []\n");
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("llama3.2:3b", "qwen2.5:7b"));
    rmSync(path.join(dir, "librechat.yaml"));
    const before = snapshot(dir);
    const run = await runCli(["generate", "--check"], dir);
    assert.is(run.code, 1);
    assert.is(run.stderr, "");
    assert.fixture(
      run.stdout,
      [
        "llm generate --check: 4 files differ from what llm.config.ts generates",
        "  stale    docker-compose.yml",
        "  missing  librechat.yaml",
        "  stale    .llm/manifest.json",
        "  extra    monitoring/prometheus.yml",
        "run `llm generate` and commit the result; `llm diff` shows the changes",
        "",
      ].join("\n"),
    );
    const json = await runCli(["generate", "--check", "--json"], dir);
    assert.is(json.code, 1);
    assert.equal((JSON.parse(json.stdout) as { drift: unknown }).drift, [
      { path: "docker-compose.yml", status: "stale" },
      { path: "librechat.yaml", status: "missing" },
      { path: ".llm/manifest.json", status: "stale" },
      { path: "monitoring/prometheus.yml", status: "extra" },
    ]);
    assert.equal(snapshot(dir), before);
    // After generate (which removes the stale module file), the check passes.
    const fixed = await runCli(["generate", "--quiet"], dir);
    assert.is(fixed.code, 0, fixed.stderr);
    assert.is((await runCli(["generate", "--check"], dir)).code, 0);
    assert.not.ok(existsSync(path.join(dir, "monitoring")));
  });
});

/** Real git, without the user's global or system configuration. */
function git(cwd: string, ...args: string[]): string {
  const run = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  });
  assert.is(run.status, 0, `git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

// GitHub's Node.gitignore, the lines that matter here.
const NODE_GITIGNORE = "node_modules/\n.env\n.env.*\n!.env.example\n";

test("the committed .env survives a Node project's .gitignore (root and parent folder), checked with real git", async () => {
  const repo = tempDir();
  try {
    git(repo, "init", "-q");
    writeFileSync(path.join(repo, ".gitignore"), NODE_GITIGNORE);
    writeFileSync(path.join(repo, "llm.config.ts"), CONFIG);
    const deploy = path.join(repo, "deploy");
    mkdirSync(deploy);
    writeFileSync(path.join(deploy, "llm.config.ts"), CONFIG);
    for (const dir of [repo, deploy]) assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    git(repo, "add", "-A");
    const tracked = git(repo, "ls-files").split("\n");
    for (const file of [".env", "deploy/.env", "docker-compose.yml", ".gitignore", "deploy/.gitignore", ".gitattributes"])
      assert.ok(tracked.includes(file), `${file} is committed`);
    for (const file of ["secrets.env", "deploy/secrets.env", "secrets/librechat.env", "deploy/secrets/librechat.env"])
      assert.not.ok(tracked.includes(file), `${file} stays out`);
    assert.ok(read(repo, ".gitignore").startsWith(NODE_GITIGNORE), "the user's lines stay");
  } finally {
    removeDir(repo);
  }
});

test("a Kubernetes-only folder does not re-include .env: a user's own .env a parent rule hides stays ignored (real git); --target kubernetes of a Compose config keeps the line", async () => {
  const repo = tempDir();
  try {
    git(repo, "init", "-q");
    writeFileSync(path.join(repo, ".gitignore"), NODE_GITIGNORE);
    const cluster = path.join(repo, "cluster");
    mkdirSync(cluster);
    writeFileSync(path.join(cluster, "llm.config.ts"), CONFIG.replace("models:", 'targets: ["kubernetes"], models:'));
    writeFileSync(path.join(cluster, ".env"), "CREDS_KEY=the-users-own\n");
    const run = await runCli(["generate", "--quiet"], cluster);
    assert.is(run.code, 0, run.stderr);
    assert.not.match(read(cluster, ".gitignore"), "!/.env");
    git(repo, "add", "-A");
    assert.not.ok(git(repo, "ls-files").split("\n").includes("cluster/.env"), "the user's .env became committable");

    const both = path.join(repo, "both");
    mkdirSync(both);
    writeFileSync(path.join(both, "llm.config.ts"), CONFIG.replace("models:", 'targets: ["compose", "kubernetes"], models:'));
    assert.is((await runCli(["generate", "--quiet"], both)).code, 0);
    const block = read(both, ".gitignore");
    assert.match(block, "\n!/.env\n");
    const kubernetesOnly = await runCli(["generate", "--quiet", "--target", "kubernetes"], both);
    assert.is(kubernetesOnly.code, 0, kubernetesOnly.stderr);
    assert.is(read(both, ".gitignore"), block, "a run for one target changed the block the other's needs");
  } finally {
    removeDir(repo);
  }
});

test("git diff shows the manifest as one line, not its hashes; the files it lists are diffed as usual", async () => {
  const repo = tempDir();
  try {
    git(repo, "init", "-q");
    writeFileSync(path.join(repo, "llm.config.ts"), CONFIG);
    assert.is((await runCli(["generate", "--quiet"], repo)).code, 0);
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "stack");
    writeFileSync(path.join(repo, "llm.config.ts"), CONFIG.replace("llama3.2:3b", "qwen2.5:7b"));
    assert.is((await runCli(["generate", "--quiet"], repo)).code, 0);
    const diff = git(repo, "diff", "--", MANIFEST);
    assert.match(diff, "Binary files a/.llm/manifest.json and b/.llm/manifest.json differ");
    assert.not.match(diff, /[0-9a-f]{64}/);
    assert.match(git(repo, "diff", "--", "docker-compose.yml"), "+      - qwen2.5:7b");
    assert.match(git(repo, "diff", "--text", "--", MANIFEST), /\+ {6}"sha256": "[0-9a-f]{64}"/, "still there for whoever asks");
  } finally {
    removeDir(repo);
  }
});

test("--check names the rule when git still ignores the committed .env (a rule after the managed block)", async () => {
  const repo = tempDir();
  const ci = tempDir();
  try {
    git(repo, "init", "-q");
    writeFileSync(path.join(repo, "llm.config.ts"), CONFIG);
    assert.is((await runCli(["generate", "--quiet"], repo)).code, 0);
    writeFileSync(path.join(repo, ".gitignore"), `${read(repo, ".gitignore")}.env\n`);
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "stack");
    // CI: a clean checkout of what was committed.
    git(ci, "clone", "-q", repo, ".");
    const line = read(ci, ".gitignore").split("\n").length - 1;
    const run = await runCli(["generate", "--check"], ci);
    assert.is(run.code, 1);
    assert.fixture(
      run.stdout,
      [
        "llm generate --check: 1 file differs from what llm.config.ts generates",
        "  missing  .env",
        `  .env is ignored by git (.gitignore:${line}: .env), so it was never committed: it holds no secret and must be; remove or narrow that rule (a folder's rule hides every file in it), or git add -f .env`,
        "run `llm generate` and commit the result; `llm diff` shows the changes",
        "",
      ].join("\n"),
    );
    const json = JSON.parse((await runCli(["generate", "--check", "--json"], ci)).stdout) as { ignoredByGit: unknown };
    assert.equal(json.ignoredByGit, [{ path: ".env", source: ".gitignore", line, pattern: ".env" }]);
  } finally {
    removeDir(repo);
    removeDir(ci);
  }
});

test("--check with a hand-edited file calls it stale; --check and --force do not combine", async () => {
  await inGeneratedFolder(async (dir) => {
    edit(dir, ".env", "APP_TITLE=LibreChat", "APP_TITLE=Mine");
    const run = await runCli(["generate", "--check"], dir);
    assert.is(run.code, 1);
    assert.ok(run.stdout.includes("  stale    .env\n"), run.stdout);
    const both = await runCli(["generate", "--check", "--force"], dir);
    assert.is(both.code, 2);
    assert.ok(both.stderr.startsWith("error USAGE: --check writes nothing, --force overwrites hand edits: use one of them\n"), both.stderr);
  });
});

test("a hand-edited file is refused with its diff and survives byte for byte; --force overwrites it", async () => {
  await inGeneratedFolder(async (dir) => {
    edit(dir, "docker-compose.yml", "          memory: 8g\n", "          memory: 12g # more for my box\n");
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("llama3.2:3b", "qwen2.5:7b"));
    const before = snapshot(dir);
    await sleep(20);
    const refused = await runCli(["generate"], dir);
    assert.is(refused.code, 4);
    assert.is(refused.stdout, "");
    const [head, diffText] = refused.stderr.split("\nWhat `llm generate --force` would do to it (- your version, + the generated one):\n");
    assert.fixture(
      head ?? "",
      [
        "error OUTPUT_EDITED: refusing to overwrite 1 file changed outside `llm generate`: docker-compose.yml",
        "  docker-compose.yml: edited by hand (its sha256 no longer matches .llm/manifest.json)",
        "hint: move local changes to docker-compose.override.yml (llm never touches it) or into the config, then run `llm generate`; `llm generate --force` overwrites the edits shown below",
        "",
      ].join("\n"),
    );
    assert.ok(diffText?.startsWith("diff --git a/docker-compose.yml b/docker-compose.yml\n--- a/docker-compose.yml\n+++ b/docker-compose.yml\n"), diffText);
    assert.ok(diffText?.includes("\n-          memory: 12g # more for my box\n+          memory: 8g\n"), diffText);
    assert.ok(diffText?.includes("\n-      - llama3.2:3b\n+      - qwen2.5:7b\n"), diffText);
    // Nothing was written: not the edited file, not the others the config change touches.
    assert.equal(snapshot(dir), before);
    assert.ok(read(dir, "docker-compose.yml").includes("memory: 12g # more for my box"));

    const forced = await runCli(["generate", "--force"], dir);
    assert.is(forced.code, 0, forced.stderr);
    assert.ok(forced.stdout.includes("  updated    docker-compose.yml\n"), forced.stdout);
    assert.not.ok(read(dir, "docker-compose.yml").includes("12g"));
    assert.ok(read(dir, "docker-compose.yml").includes("qwen2.5:7b"));
    assert.is((await runCli(["diff"], dir)).code, 0);
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
  });
});

test("a file llm never wrote is not overwritten: a user's own docker-compose.yml in a fresh folder", async () => {
  await inFolder(CONFIG, async (dir) => {
    writeFileSync(path.join(dir, "docker-compose.yml"), "services:\n  web:\n    image: nginx:1.27\n");
    const before = snapshot(dir);
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 4);
    assert.ok(run.stderr.includes("  docker-compose.yml: exists but was not written by `llm generate` (it is not in .llm/manifest.json)\n"), run.stderr);
    assert.equal(snapshot(dir), before);
    assert.not.ok(existsSync(path.join(dir, ".llm")), "a refused run leaves no trace");
  });
});

test("files equal to what generate writes are adopted without a manifest (folders generated before manifests)", async () => {
  await inGeneratedFolder((reference) =>
    inFolder(CONFIG, async (dir) => {
      for (const file of ["docker-compose.yml", ".env", "librechat.yaml"]) writeFileSync(path.join(dir, file), read(reference, file));
      const run = await runCli(["generate", "--json"], dir);
      assert.is(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as { unchanged: string[] }).unchanged, ["docker-compose.yml", ".env", "librechat.yaml"]);
      assert.is(read(dir, MANIFEST), read(reference, MANIFEST));
    }),
  );
});

test(".gitignore: the user's lines are kept and theirs to edit; a hand-edited managed block is refused", async () => {
  await inFolder(CONFIG, async (dir) => {
    writeFileSync(path.join(dir, ".gitignore"), "node_modules/\n");
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    const block =
      '# >>> local-llm-stack (managed: the lines between these markers are rewritten by `llm generate`) >>>\n/secrets.env\n/secrets\n/data\n/backups\n/.llm/tx\n# committed: no secret in it; this keeps an earlier or a parent folder\'s ".env" rule from hiding it\n!/.env\n# <<< local-llm-stack <<<\n';
    assert.is(read(dir, ".gitignore"), `node_modules/\n\n${block}`);

    writeFileSync(path.join(dir, ".gitignore"), `node_modules/\n\n${block}*.log\n`);
    const own = await runCli(["generate", "--json"], dir);
    assert.is(own.code, 0, own.stderr);
    assert.ok((JSON.parse(own.stdout) as { unchanged: string[] }).unchanged.includes(".gitignore"));
    assert.is(read(dir, ".gitignore"), `node_modules/\n\n${block}*.log\n`);

    edit(dir, ".gitignore", "/data\n", "");
    const before = snapshot(dir);
    const refused = await runCli(["generate"], dir);
    assert.is(refused.code, 4);
    assert.ok(refused.stderr.includes("  .gitignore: edited by hand"), refused.stderr);
    assert.equal(snapshot(dir), before);
    assert.is((await runCli(["generate", "--force", "--quiet"], dir)).code, 0);
    assert.is(read(dir, ".gitignore"), `node_modules/\n\n${block}*.log\n`);
  });
});

test("turning monitoring off removes exactly its files (and its private files); the diff shows it first", async () => {
  await inFolder(MONITORING_CONFIG, async (dir) => {
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    const removed = [...MONITORING_FILES, ...MONITORING_PRIVATE_FILES];
    for (const file of removed) assert.ok(existsSync(path.join(dir, file)), file);
    writeFileSync(path.join(dir, "grafana", "NOTES.md"), "my own notes\n");
    const secretsBefore = read(dir, "secrets.env");
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG);
    const before = snapshot(dir);
    await sleep(20);

    const diff = await runCli(["diff"], dir);
    assert.is(diff.code, 1);
    const headers = diff.stdout.split("\n").filter((line) => /^(diff --git|deleted file|new file)/.test(line));
    assert.equal(headers, [
      "diff --git a/docker-compose.yml b/docker-compose.yml",
      "diff --git a/.env b/.env",
      // LibreChat's env file loses METRICS_SECRET with the module.
      "diff --git a/secrets/librechat.env b/secrets/librechat.env",
      "diff --git a/.llm/manifest.json b/.llm/manifest.json",
      ...removed.flatMap((file) => [`diff --git a/${file} b/${file}`, "deleted file mode 100644"]),
    ]);
    assert.ok(diff.stdout.includes("+++ /dev/null\n@@ -1,1 +0,0 @@\n-<redacted>\n"), "a private file's value is never shown");
    assert.equal(snapshot(dir), before, "diff writes nothing");

    const off = await runCli(["generate"], dir);
    assert.is(off.code, 0, off.stderr);
    assert.ok(off.stdout.includes(removed.map((file) => `  removed    ${file}\n`).join("")), off.stdout);
    const after = snapshot(dir);
    const changed = [...before.keys()].filter((file) => JSON.stringify(before.get(file)) !== JSON.stringify(after.get(file)));
    const native = (file: string) => path.join(...file.split("/"));
    assert.equal(changed.sort(), ["docker-compose.yml", ".env", MANIFEST, "secrets/librechat.env", ...removed].map(native).sort());
    for (const file of removed) assert.not.ok(after.has(native(file)), file);
    assert.not.match(read(dir, "secrets/librechat.env"), /METRICS_SECRET/);
    for (const folder of ["prometheus", "grafana/provisioning", "grafana/dashboards"])
      assert.not.ok(existsSync(path.join(dir, folder)), `${folder} emptied and removed`);
    assert.is(read(dir, "grafana/NOTES.md"), "my own notes\n", "the user's own file stays");
    assert.is(read(dir, "secrets.env"), secretsBefore, "secrets are never removed");
    assert.not.ok(read(dir, "docker-compose.yml").includes("prometheus"));
    assert.equal(Object.keys(manifestFiles(dir)), [".env", ".gitattributes", ".gitignore", "docker-compose.yml", "librechat.yaml", ...CORE_PRIVATE_FILES]);
    assert.is((await runCli(["generate", "--check"], dir)).code, 0);
  });
});

test("a switched-off module's hand-edited file is refused, and --force keeps it (never deletes an edit)", async () => {
  await inFolder(MONITORING_CONFIG, async (dir) => {
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    edit(dir, "prometheus/prometheus.yml", /scrape_interval: \S+/, "scrape_interval: 5s");
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG);
    const before = snapshot(dir);
    const refused = await runCli(["generate"], dir);
    assert.is(refused.code, 4);
    assert.ok(
      refused.stderr.startsWith("error OUTPUT_EDITED: refusing to remove 1 file changed outside `llm generate`: prometheus/prometheus.yml\n"),
      refused.stderr,
    );
    assert.ok(
      refused.stderr.includes(
        "  prometheus/prometheus.yml: edited by hand (its sha256 no longer matches .llm/manifest.json); it is no longer generated: --force leaves it in place and stops tracking it\n",
      ),
      refused.stderr,
    );
    assert.equal(snapshot(dir), before);

    const forced = await runCli(["generate", "--force"], dir);
    assert.is(forced.code, 0, forced.stderr);
    assert.ok(forced.stdout.includes("  removed    grafana/dashboards/llm-stack.json\n"), forced.stdout);
    assert.ok(forced.stdout.includes("  kept       prometheus/prometheus.yml (edited by hand and no longer generated"), forced.stdout);
    assert.ok(read(dir, "prometheus/prometheus.yml").includes("scrape_interval: 5s"));
    assert.not.ok(existsSync(path.join(dir, "grafana")));
    assert.not.ok("prometheus/prometheus.yml" in manifestFiles(dir), "no longer tracked");
    assert.is((await runCli(["generate", "--check"], dir)).code, 0);
  });
});

test("a corrupt manifest is an error naming it and a fix; nothing changes", async () => {
  await inGeneratedFolder(async (dir) => {
    writeFileSync(path.join(dir, MANIFEST), '{"version": 1, "files": {"../../etc/passwd": {"sha256": "00"}}}\n');
    const before = snapshot(dir);
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 2);
    assert.fixture(
      run.stderr,
      [
        "error MANIFEST_INVALID: .llm/manifest.json is not a manifest written by llm",
        '  .llm/manifest.json: files: "../../etc/passwd" is not a path inside the output folder',
        "hint: restore it from git (git checkout -- .llm/manifest.json) or delete it; without it, generate overwrites only files equal to what it would write (or everything with --force)",
        "",
      ].join("\n"),
    );
    assert.equal(snapshot(dir), before);
  });
});

test("an invalid config in a fresh folder leaves no trace (no .llm folder, no lock)", async () => {
  await inFolder(CONFIG.replace('"cpu"', '"cpux"'), async (dir) => {
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 2);
    assert.equal(listFiles(dir), ["llm.config.ts"]);
    assert.not.ok(existsSync(path.join(dir, ".llm")));
  });
});

test("the header names the config relative to the output folder, wherever llm was started", async () => {
  const parent = workspaceWith("README.md", "parent\n");
  try {
    mkdirSync(path.join(parent, "deploy"));
    writeFileSync(path.join(parent, "deploy", "llm.config.ts"), CONFIG);
    const run = await runCli(["generate", "--quiet", "--config", "deploy/llm.config.ts"], parent);
    assert.is(run.code, 0, run.stderr);
    assert.ok(readFileSync(path.join(parent, "deploy", "docker-compose.yml"), "utf8").startsWith("# Generated by local-llm-stack from llm.config.ts."));
    const inside = await runCli(["generate", "--check"], path.join(parent, "deploy"));
    assert.is(inside.code, 0, inside.stdout);
    assert.is((await runCli(["diff", "--config", "deploy/llm.config.ts"], parent)).code, 0);
  } finally {
    removeDir(parent);
  }
});

test("docker-compose.override.yml, the place for local changes: Compose merges it, llm never touches it", async () => {
  assert.ok(hasDockerCompose(), "docker-compose (Debian's 1.29) is needed: see .ci/run");
  const work = tempDir("llm-override-");
  await inGeneratedFolder(async (dir) => {
    const override = 'services:\n  ollama:\n    environment:\n      OLLAMA_DEBUG: "1"\n    deploy:\n      resources:\n        limits:\n          memory: 12g\n';
    writeFileSync(path.join(dir, "docker-compose.override.yml"), override);
    const stamp = statSync(path.join(dir, "docker-compose.override.yml")).mtimeMs;
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("llama3.2:3b", "qwen2.5:7b"));
    const diff = await runCli(["diff"], dir);
    assert.not.ok(diff.stdout.includes("override"), "not part of what generate owns");
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    assert.is(read(dir, "docker-compose.override.yml"), override);
    assert.is(statSync(path.join(dir, "docker-compose.override.yml")).mtimeMs, stamp);
    assert.not.ok("docker-compose.override.yml" in manifestFiles(dir));
    // Plain `docker compose config` (no -f) reads both files and merges them.
    writeFileSync(path.join(work, "docker-compose.yml"), withoutNewerComposeKeys(read(dir, "docker-compose.yml")));
    for (const file of [".env", "secrets.env", "librechat.yaml", "docker-compose.override.yml"]) copyFileSync(path.join(dir, file), path.join(work, file));
    cpSync(path.join(dir, "secrets"), path.join(work, "secrets"), { recursive: true });
    const merged = spawnSync("docker-compose", ["config"], { cwd: work, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" } });
    assert.is(merged.status, 0, merged.stderr);
    const ollama = (
      parse(merged.stdout) as { services: Record<string, { environment: Record<string, string>; deploy: { resources: { limits: Record<string, unknown> } } }> }
    ).services["ollama"]!;
    assert.is(ollama.environment["OLLAMA_DEBUG"], "1");
    assert.is(ollama.environment["OLLAMA_NUM_PARALLEL"], "1", "generated settings stay");
    assert.is(ollama.deploy.resources.limits["memory"], "12g");
  }).finally(() => removeDir(work));
});

test.run();
