// The folders llm owns (.llm, .llm/tx, secrets/, traefik/, grafana/, nginx/, prometheus/): never
// entered through a symbolic link, and made with fixed modes whatever the umask.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CLI } from "./helpers/paths.js";
import { removeDir, runCli, snapshot, tempDir, workspaceWith } from "./helpers/workspace.js";
import { ALL_MODULES_TS as ALL } from "./helpers/modules.js";

const test = suite("owned folders: no symlinks followed, fixed modes");

const FOLDERS = [
  ".llm",
  "secrets",
  "traefik",
  "grafana",
  "grafana/dashboards",
  "grafana/provisioning",
  "grafana/provisioning/dashboards",
  "grafana/provisioning/datasources",
  "nginx",
  "prometheus",
];
const PRIVATE = new Set([".llm", "secrets"]);
const modeOf = (file: string) => statSync(file).mode & 0o777;

/** A generated all-modules folder and, beside it, a folder of someone else's files. */
async function generatedWithOutsider(): Promise<{ dir: string; outside: string; cleanup: () => void }> {
  const dir = workspaceWith("llm.config.ts", ALL);
  const outside = tempDir("llm-outside-");
  writeFileSync(path.join(outside, "precious.txt"), "not yours\n");
  writeFileSync(path.join(outside, "0.new"), "looks like a staged file\n");
  const run = await runCli(["generate", "--quiet"], dir);
  assert.is(run.code, 0, run.stderr);
  return { dir, outside, cleanup: () => (removeDir(dir), removeDir(outside)) };
}

test("a symlink at .llm/tx is refused by generate, diff and --check; the files it points at stay", async () => {
  const { dir, outside, cleanup } = await generatedWithOutsider();
  try {
    mkdirSync(path.join(dir, ".llm", "tx"));
    rmSync(path.join(dir, ".llm", "tx"), { recursive: true });
    symlinkSync(outside, path.join(dir, ".llm", "tx"));
    const outsideBefore = snapshot(outside);
    const before = snapshot(dir);
    for (const args of [["generate"], ["diff"], ["generate", "--check"]]) {
      // Before: recovery took the lock inside the link's target and "cleaned" it, deleting its files.
      const run = await runCli(args, dir);
      assert.is(run.code, 4, `${args.join(" ")}: ${run.stderr}`);
      assert.is(
        run.stderr,
        `error SYMLINK_REFUSED: .llm/tx/ is a symbolic link (to ${outside}); llm never reads, writes or removes files through a link in a folder it owns\nhint: make it a real folder: move out of ${outside} what you want to keep, then \`rm .llm/tx && mkdir .llm/tx\` and run the command again\n`,
      );
      assert.equal(snapshot(outside), outsideBefore, `${args.join(" ")}: nothing outside changed`);
      assert.equal(snapshot(dir), before);
    }
  } finally {
    cleanup();
  }
});

test("the managed .gitignore block ignores a file or link at .llm/tx, secrets and data, not only folders", async () => {
  const { dir, outside, cleanup } = await generatedWithOutsider();
  try {
    execFileSync("git", ["init", "-q"], { cwd: dir });
    symlinkSync(outside, path.join(dir, ".llm", "tx"));
    renameSync(path.join(dir, "secrets"), path.join(outside, "moved-secrets"));
    symlinkSync(path.join(outside, "moved-secrets"), path.join(dir, "secrets"));
    writeFileSync(path.join(dir, "data"), "a file, not a folder\n");
    // Before: `/.llm/tx/` matched folders only, so the link could be committed.
    const ignored = spawnSync("git", ["check-ignore", ".llm/tx", "secrets", "data"], { cwd: dir, encoding: "utf8" });
    assert.is(ignored.stdout, ".llm/tx\nsecrets\ndata\n");
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: dir, encoding: "utf8" });
    assert.not.match(status, /^\?\? (\.llm\/tx|secrets|data)(\/|$)/m);
    assert.match(status, /^\?\? docker-compose\.yml$/m, "the generated files are listed");
  } finally {
    cleanup();
  }
});

test("secrets/, traefik/, grafana/ or .llm/ as a link to elsewhere: refused, nothing lands there", async () => {
  for (const folder of ["secrets", "traefik", "grafana", "grafana/provisioning", ".llm", "nginx", "prometheus"]) {
    const { dir, outside, cleanup } = await generatedWithOutsider();
    try {
      // The folder's own files move out, so a run that writes through the link has work to do.
      const target = path.join(outside, "target");
      renameSync(path.join(dir, folder), target);
      rmSync(target, { recursive: true });
      mkdirSync(target);
      symlinkSync(target, path.join(dir, folder));
      const before = snapshot(dir);
      const outsideBefore = snapshot(outside);
      const run = await runCli(["generate"], dir);
      assert.is(run.code, 4, `${folder}: ${run.stderr}`);
      assert.ok(run.stderr.startsWith(`error SYMLINK_REFUSED: ${folder}/ is a symbolic link (to ${target});`), `${folder}: ${run.stderr}`);
      assert.equal(readdirSync(target), [], `${folder}: nothing written through the link`);
      assert.equal(snapshot(outside), outsideBefore);
      assert.equal(snapshot(dir), before);
      assert.is((await runCli(["diff"], dir)).code, 4, `${folder}: diff refuses too`);
    } finally {
      cleanup();
    }
  }
});

/** `llm generate` in a real process under `umask`; while it holds its lock, the mode of .llm/tx. */
function generateUnder(umask: string, dir: string): Promise<{ code: number | null; stdout: string; txMode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", `umask ${umask} && exec "$0" "$@"`, process.execPath, CLI, "generate"], {
      cwd: dir,
      env: { ...process.env, LLM_DEBUG_WRITE_DELAY_MS: "5", NO_COLOR: "1" },
    });
    let stdout = "";
    let txMode: number | null = null;
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    const poll = setInterval(() => {
      try {
        txMode ??= modeOf(path.join(dir, ".llm", "tx"));
      } catch {
        // not there yet
      }
    }, 1);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(poll);
      resolve({ code, stdout, txMode });
    });
  });
}

test("folders are made 0700 (.llm, .llm/tx, secrets) or 0755 (the rest) under umask 000 and 077", async () => {
  for (const umask of ["000", "077", "022"]) {
    const dir = workspaceWith("llm.config.ts", ALL);
    try {
      const run = await generateUnder(umask, dir);
      assert.is(run.code, 0, run.stdout);
      assert.is(run.txMode, 0o700, `umask ${umask}: .llm/tx`);
      for (const folder of FOLDERS) {
        assert.is(modeOf(path.join(dir, folder)).toString(8), (PRIVATE.has(folder.split("/")[0]!) ? 0o700 : 0o755).toString(8), `umask ${umask}: ${folder}`);
      }
      assert.not.match(run.stdout, /the mode of/, "nothing to repair in a folder made by this run");
    } finally {
      removeDir(dir);
    }
  }
});

test("wrong folder modes are repaired by generate, which says so; a second run is silent", async () => {
  const dir = workspaceWith("llm.config.ts", ALL);
  try {
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    chmodSync(path.join(dir, "secrets"), 0o777);
    chmodSync(path.join(dir, ".llm"), 0o755);
    chmodSync(path.join(dir, "grafana", "provisioning"), 0o700);
    const files = new Map([...snapshot(dir)].map(([file, entry]) => [file, entry.contents]));
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stdout, "  fixed the mode of .llm/: 0755 → 0700 (only you may enter it)\n");
    assert.match(run.stdout, "  fixed the mode of grafana/provisioning/: 0700 → 0755 (others may read, only you may write)\n");
    assert.match(run.stdout, "  fixed the mode of secrets/: 0777 → 0700 (only you may enter it)\n");
    assert.is(modeOf(path.join(dir, "secrets")), 0o700);
    assert.is(modeOf(path.join(dir, ".llm")), 0o700);
    assert.is(modeOf(path.join(dir, "grafana", "provisioning")), 0o755);
    assert.equal(new Map([...snapshot(dir)].map(([file, entry]) => [file, entry.contents])), files, "no file changed");
    const json = await runCli(["generate", "--json"], dir);
    assert.equal(JSON.parse(json.stdout).folderModes, []);
    chmodSync(path.join(dir, "secrets"), 0o755);
    const again = await runCli(["generate", "--json"], dir);
    assert.equal(JSON.parse(again.stdout).folderModes, [{ folder: "secrets", from: "0755", to: "0700" }]);
    assert.ok(existsSync(path.join(dir, "secrets", "traefik-users")));
    assert.ok(readFileSync(path.join(dir, ".gitignore"), "utf8").includes("/secrets\n"));
  } finally {
    removeDir(dir);
  }
});

test("a read failure names the file: a folder where an output goes", async () => {
  const dir = workspaceWith("llm.config.ts", ALL);
  try {
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    rmSync(path.join(dir, "docker-compose.yml"));
    mkdirSync(path.join(dir, "docker-compose.yml"));
    const before = snapshot(dir);
    // Before: "could not read the output folder: EISDIR: illegal operation on a directory, read".
    for (const args of [["generate"], ["diff"], ["generate", "--check"]]) {
      const run = await runCli(args, dir);
      assert.is(run.code, 3, run.stderr);
      assert.is(
        run.stderr,
        "error READ_FAILED: could not read docker-compose.yml: EISDIR: illegal operation on a directory, read\nhint: docker-compose.yml is a folder where llm writes a file: move it away\n",
      );
      assert.equal(snapshot(dir), before);
    }
  } finally {
    removeDir(dir);
  }
});

test.run();
