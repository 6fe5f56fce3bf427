// `llm backup` and `llm restore` over a stand-in `docker` on PATH (test/fixtures/fake-docker.mjs)
// that records every call and plays back scripted output: what the commands ask of
// `docker compose`, where the backup lands and with which modes, what makes one incomplete, and
// every check restore makes before it changes anything. No Docker engine runs here.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { backupName, completeText, majorChanges, majorOf, parseManifest, type BackupManifest } from "../src/backup/manifest.js";
import { parseSecrets } from "../src/secrets/store.js";
import { CONFIG, inGeneratedFolder, sleep } from "./helpers/committed.js";
import { fakeDocker, type FakeDocker, type FakeDockerRule } from "./helpers/fake-docker.js";
import { assertGoldenText } from "./helpers/golden-text.js";
import { CLI } from "./helpers/paths.js";
import { removeDir, runCli, snapshot, tempDir, type CliRun } from "./helpers/workspace.js";

const test = suite("llm backup / restore over a stand-in docker");

const NOW = Date.UTC(2026, 11, 4, 1, 2, 3);
const NAME = "2026-12-04T01-02-03Z";
const RUNNING = "librechat\nmeilisearch\nmongodb\nollama\n";

/** A stack whose services all run and whose dumps succeed, each with its own bytes. */
const healthy = (running = RUNNING): FakeDockerRule[] => [
  { match: ["compose ps --services --status running"], stdout: running },
  { match: ["mongodump"], stdout: "MONGO-ARCHIVE-BYTES" },
  { match: ["mongorestore"], readStdin: true },
  { match: ["pg_dump"], stdout: "PGDUMP-BYTES" },
  { match: ["pg_restore"], readStdin: true },
  { match: ["tar", "-cf"], stdout: "TAR-OF-A-VOLUME" },
  { match: ["tar", "-xf"], readStdin: true },
];

const sha = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");
const modeOf = (file: string) => statSync(file).mode & 0o777;
const secretsOf = (dir: string) => [...parseSecrets(read(dir, "secrets.env")).values()].map((v) => v.value);
const manifestOf = (dir: string, name = NAME) => parseManifest(read(dir, `backups/${name}/backup.json`)) as BackupManifest;

function assertNoSecret(dir: string, docker: FakeDocker, ...runs: CliRun[]) {
  const values = secretsOf(dir);
  assert.ok(values.length >= 5, "the stack has secrets to look for");
  const seen = [JSON.stringify(docker.calls()), ...runs.map((r) => r.stdout + r.stderr)].join("\n");
  for (const value of values) assert.not.ok(seen.includes(value), "a secret value reached a command line or the output");
}

async function backup(dir: string, docker: FakeDocker, args: string[] = []): Promise<CliRun> {
  return runCli(["backup", ...args], dir, { env: docker.env, io: { now: () => NOW } });
}

function withDocker(rules: FakeDockerRule[], body: (dir: string, docker: FakeDocker) => Promise<void>, config = CONFIG) {
  return inGeneratedFolder(async (dir) => {
    const docker = fakeDocker(rules);
    try {
      await body(dir, docker);
    } finally {
      removeDir(docker.dir);
    }
  }, config);
}

test("a backup: databases and volumes through docker compose, the files copied, 0700, checksums, COMPLETE last (golden)", () =>
  withDocker(healthy(), async (dir, docker) => {
    const run = await backup(dir, docker);
    assert.is(run.code, 0, run.stderr);
    assertGoldenText("backup-first", run.stdout);
    const folder = path.join(dir, "backups", NAME);
    assert.is(modeOf(path.join(dir, "backups")), 0o700);
    assert.is(modeOf(folder), 0o700);
    for (const file of ["backup.json", "COMPLETE", "mongodb.archive.gz", "librechat-uploads.tar", "files/secrets.env", "files/secrets/mongodb.env"]) {
      assert.is(modeOf(path.join(folder, file)), 0o600, file);
    }
    assert.is(modeOf(path.join(folder, "files", "secrets")), 0o700);

    // What was asked of docker, in order, in the output folder.
    const calls = docker.calls();
    assert.equal(
      calls.map((c) => c.args.slice(0, 5).join(" ")),
      [
        "compose ps --services --status running",
        "compose exec -T mongodb sh",
        "compose exec -T librechat tar",
        "compose exec -T librechat tar",
        "compose exec -T librechat tar",
      ],
    );
    for (const call of calls) assert.is(call.cwd, dir);
    // The password reaches mongodump in a 0600 file, never on a command line (`ps` shows those).
    assert.is(
      calls[1]!.args[6],
      [
        'if [ -z "${MONGO_INITDB_ROOT_USERNAME:-}" ]; then exec mongodump --archive --gzip --quiet; fi',
        'set -e; umask 077; config="$(mktemp)"; trap \'rm -f "$config"\' EXIT',
        'printf \'password: "%s"\\n\' "$MONGO_INITDB_ROOT_PASSWORD" > "$config"',
        'mongodump --config "$config" --username "$MONGO_INITDB_ROOT_USERNAME" --authenticationDatabase admin --archive --gzip --quiet',
      ].join("; "),
    );
    assert.not.ok(calls[1]!.args[6]!.includes("--password"), "a password on mongodump's command line");
    assert.equal(calls[4]!.args, ["compose", "exec", "-T", "librechat", "tar", "-C", "/app/uploads", "-cf", "-", "."]);

    const manifest = manifestOf(dir);
    assert.is(manifest.created, "2026-12-04T01:02:03.000Z");
    assert.is(manifest.images["mongodb"], "mongo:8.0.29");
    const entries = Object.fromEntries(manifest.entries.map((e) => [e.file, e]));
    assert.equal(Object.keys(entries).sort(), [
      "files/llm.config.ts",
      "files/secrets.env",
      "files/secrets/librechat.env",
      "files/secrets/meilisearch.env",
      "files/secrets/mongodb.env",
      "librechat-images.tar",
      "librechat-skill.tar",
      "librechat-uploads.tar",
      "mongodb.archive.gz",
    ]);
    assert.is(entries["mongodb.archive.gz"]!.sha256, sha("MONGO-ARCHIVE-BYTES"));
    assert.is(entries["mongodb.archive.gz"]!.bytes, 19);
    assert.is(read(folder, "files/secrets.env"), read(dir, "secrets.env"));
    assert.equal(entries["files/secrets.env"]!.source, { path: "secrets.env", mode: 0o600 });
    assert.is(entries["files/secrets.env"]!.sha256, sha(read(dir, "secrets.env")));
    assert.is(read(folder, "COMPLETE"), completeText(sha(read(folder, "backup.json"))));
    assert.equal(
      manifest.skipped.map((s) => s.what),
      ["Ollama's models", "Meilisearch's search index"],
    );
    assertNoSecret(dir, docker, run);

    // Gitignored through the managed block: git itself says so.
    assert.match(read(dir, ".gitignore"), "\n/backups\n");
    spawnSync("git", ["init", "-q"], { cwd: dir });
    const ignored = spawnSync("git", ["check-ignore", "-q", `backups/${NAME}/files/secrets.env`], { cwd: dir });
    assert.is(ignored.status, 0, "git does not ignore the backup");
  }));

test("the backup records the images the folder was generated with (the manifest), not pins the config moved since", () =>
  withDocker(healthy(), async (dir, docker) => {
    // The config names MongoDB 8.0.29 while the folder was last generated with 7.0.14.
    const manifestFile = path.join(dir, ".llm/manifest.json");
    const generated = JSON.parse(read(dir, ".llm/manifest.json")) as { images: Record<string, string> };
    assert.is(generated.images["mongodb"], "mongo:8.0.29");
    generated.images["mongodb"] = "mongo:7.0.14";
    writeFileSync(manifestFile, JSON.stringify(generated));
    const run = await backup(dir, docker);
    assert.is(run.code, 0, run.stderr);
    const { images } = manifestOf(dir);
    assert.is(images["mongodb"], "mongo:7.0.14");
    assert.is(images["librechat"], generated.images["librechat"]);
  }));

test("--with-models adds Ollama's models; a second backup in the same second gets its own folder; --json", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    const run = await backup(dir, docker, ["--with-models", "--json"]);
    assert.is(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.is(out.name, `${NAME}-2`);
    assert.is(out.restore, `llm restore ${NAME}-2`);
    assert.not.ok(run.stdout.includes("sha256"), "--json prints checksums (one is a hash of secrets.env)");
    const models = out.entries.find((e: { file: string }) => e.file === "ollama-models.tar");
    assert.equal(models.service, "ollama");
    assert.ok(
      docker.calls().some((c) => c.args.join(" ") === "compose exec -T ollama tar -C /root/.ollama -cf - models"),
      "no tar of the models",
    );
    assert.not.ok(
      out.skipped.some((s: { what: string }) => s.what === "Ollama's models"),
      "models still listed as left out",
    );
  }));

test("the rag module's PostgreSQL is dumped with pg_dump, its password read inside the container", () =>
  withDocker(
    healthy(`${RUNNING}vectordb\nrag-api\n`),
    async (dir, docker) => {
      const run = await backup(dir, docker);
      assert.is(run.code, 0, run.stderr);
      const call = docker.calls().find((c) => c.args[3] === "vectordb");
      assert.ok(call, "vectordb was not dumped");
      assert.match(call!.args.join(" "), 'PGPASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"; export PGPASSWORD; exec pg_dump --format=custom -h 127.0.0.1');
      assert.is(manifestOf(dir).entries.find((e) => e.file === "vectordb.pgdump")!.sha256, sha("PGDUMP-BYTES"));
      assertNoSecret(dir, docker, run);
    },
    CONFIG.replace("models:", "rag: { enabled: true }, models:"),
  ));

/** A backup that failed: a named error, INCOMPLETE with the reason, no COMPLETE, restore refuses. */
async function assertIncomplete(dir: string, docker: FakeDocker, run: CliRun, code: string, exit: number) {
  assert.is(run.code, exit, run.stderr);
  assert.match(run.stderr, `error ${code}: `);
  assert.match(run.stderr, `backups/${NAME} is incomplete (marked INCOMPLETE) and cannot be restored`);
  const folder = path.join(dir, "backups", NAME);
  assert.not.ok(existsSync(path.join(folder, "COMPLETE")), "a failed backup looks complete");
  assert.match(read(folder, "INCOMPLETE"), `${code}: `);
  const restore = await runCli(["restore", NAME, "--yes"], dir, { env: docker.env });
  assert.is(restore.code, 2);
  assert.match(restore.stderr, `error BACKUP_INCOMPLETE: backups/${NAME} is incomplete (it failed: ${code}: `);
}

/** A backup refused before it began: not a byte written, no folder of secret copies left behind. */
function assertNothingWritten(dir: string, before: ReturnType<typeof snapshot>) {
  assert.not.ok(existsSync(path.join(dir, "backups")), "a failed first check left backups/");
  assert.equal(snapshot(dir), before);
}

test("no docker on PATH: DOCKER_UNAVAILABLE before anything is copied; no backup folder is created", () =>
  withDocker(healthy(), async (dir) => {
    const empty = tempDir("llm-no-docker-");
    try {
      const before = snapshot(dir);
      const run = await runCli(["backup"], dir, { env: { PATH: empty }, io: { now: () => NOW } });
      assert.is(run.code, 69, run.stderr);
      assert.match(run.stderr, "error DOCKER_UNAVAILABLE: ");
      assert.match(run.stderr, "docker is not installed (no `docker` on PATH)");
      assertNothingWritten(dir, before);
    } finally {
      removeDir(empty);
    }
  }));

test("a stopped service: SERVICE_STOPPED names it and how to start it; nothing is dumped or copied", () =>
  withDocker(healthy("mongodb\nollama\n"), async (dir, docker) => {
    const before = snapshot(dir);
    const run = await backup(dir, docker);
    assert.is(run.code, 69, run.stderr);
    assert.match(run.stderr, "error SERVICE_STOPPED: librechat is not running");
    assert.match(run.stderr, "docker compose up -d librechat");
    assert.not.ok(
      docker.calls().some((c) => c.args.includes("exec")),
      "a dump ran",
    );
    assertNothingWritten(dir, before);
  }));

test("backups/ ignores itself (a folder whose .gitignore predates /backups); a user's own backups/.gitignore is kept and not called gitignored", () =>
  withDocker(healthy(), async (dir, docker) => {
    // As an earlier release left it: no /backups line until the next generate.
    writeFileSync(path.join(dir, ".gitignore"), read(dir, ".gitignore").replace("\n/backups\n", "\n"));
    const run = await backup(dir, docker);
    assert.is(run.code, 0, run.stderr);
    assert.is(read(dir, "backups/.gitignore"), "*\n");
    spawnSync("git", ["init", "-q"], { cwd: dir });
    for (const file of [`backups/${NAME}/files/secrets.env`, "backups/.gitignore"]) {
      assert.is(spawnSync("git", ["check-ignore", "-q", file], { cwd: dir }).status, 0, `git does not ignore ${file}`);
    }
    assert.match(run.stdout, "(mode 0700, gitignored;");
    const notABackup = await runCli(["restore", ".gitignore", "--yes"], dir, { env: docker.env });
    assert.is(notABackup.code, 2, notABackup.stderr);
    assert.match(notABackup.stderr, 'error BACKUP_NOT_FOUND: no backup ".gitignore" in backups/');

    writeFileSync(path.join(dir, "backups/.gitignore"), "*.tar\n");
    const own = await backup(dir, docker, ["--json"]);
    assert.is(own.code, 0, own.stderr);
    assert.is(read(dir, "backups/.gitignore"), "*.tar\n", "the user's file was replaced");
    assert.is((JSON.parse(own.stdout) as { gitignored: boolean }).gitignored, false);
    const plain = await backup(dir, docker);
    assert.not.match(plain.stdout, "gitignored;");
    assert.match(plain.stdout, "backups/.gitignore is your own: check that git ignores it");
  }));

test("a failed dump: BACKUP_FAILED with docker's words, secrets in them replaced", () =>
  withDocker(healthy(), async (dir, docker) => {
    const password = parseSecrets(read(dir, "secrets.env")).get("MONGO_PASSWORD")!.value;
    docker.script([
      healthy()[0]!,
      { match: ["mongodump"], stdout: "HALF-AN-ARCHI", stderr: `Failed: error connecting: auth failed for password ${password}\n`, code: 1 },
      ...healthy().slice(2),
    ]);
    const run = await backup(dir, docker);
    await assertIncomplete(dir, docker, run, "BACKUP_FAILED", 3);
    assert.match(run.stderr, "the dump of MongoDB");
    assert.match(run.stderr, "failed in mongodb (exit 1): Failed: error connecting: auth failed for password <secret>");
    assert.not.ok(run.stderr.includes(password) || read(dir, `backups/${NAME}/INCOMPLETE`).includes(password), "the password was shown");
  }));

test("Ctrl-C during a dump: exit 130, the backup marked incomplete", () =>
  withDocker(healthy(), async (dir, docker) => {
    docker.script([healthy()[0]!, { match: ["mongodump"], stdout: "X", sleepMs: 5000 }, ...healthy().slice(2)]);
    const controller = new AbortController();
    const pending = runCli(["backup"], dir, { env: docker.env, io: { now: () => NOW, signal: controller.signal } });
    for (let i = 0; i < 200 && !docker.calls().some((c) => c.args.includes("sh")); i++) await sleep(25);
    controller.abort();
    const run = await pending;
    await assertIncomplete(dir, docker, run, "INTERRUPTED", 130);
  }));

test("a backup killed mid-dump (no chance to write anything) is never taken for a complete one", () =>
  withDocker(healthy(), async (dir, docker) => {
    docker.script([healthy()[0]!, { match: ["mongodump"], stdout: "X", sleepMs: 3000 }, ...healthy().slice(2)]);
    const child = spawn(process.execPath, [CLI, "backup"], { cwd: dir, env: { ...process.env, ...docker.env }, stdio: "ignore" });
    for (let i = 0; i < 400 && !docker.calls().some((c) => c.args.includes("sh")); i++) await sleep(25);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("close", resolve));
    for (const call of docker.calls()) spawnSync("kill", [String(call.pid)]);
    const [name] = readdirSync(path.join(dir, "backups")).filter((entry) => entry !== ".gitignore");
    assert.ok(name, "no backup folder");
    assert.not.ok(existsSync(path.join(dir, "backups", name!, "COMPLETE")), "an interrupted backup looks complete");
    const restore = await runCli(["restore", name!, "--yes"], dir, { env: docker.env });
    assert.is(restore.code, 2);
    assert.match(restore.stderr, `error BACKUP_INCOMPLETE: backups/${name} is incomplete (it was interrupted): it has no COMPLETE marker`);
  }));

test("restore --yes: checksums first, each dump streamed back into its service, the files put back with their modes", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    const secrets = read(dir, "secrets.env");
    writeFileSync(path.join(dir, "secrets.env"), secrets.replace(/^JWT_SECRET=.*$/m, "JWT_SECRET=changed-after-the-backup"), { mode: 0o644 });
    const before = docker.calls().length;
    const run = await runCli(["restore", NAME, "--yes"], dir, { env: docker.env });
    assert.is(run.code, 0, run.stderr);
    assertGoldenText("restore-yes", run.stdout);
    const calls = docker.calls().slice(before);
    assert.equal(
      calls.map((c) => c.args.slice(0, 4).join(" ")),
      ["compose ps --services --status", "compose exec -T mongodb", "compose exec -T librechat", "compose exec -T librechat", "compose exec -T librechat"],
    );
    assert.match(
      calls[1]!.args.join(" "),
      'mongorestore --config "$config" --username "$MONGO_INITDB_ROOT_USERNAME" --authenticationDatabase admin --archive --gzip --drop --quiet',
    );
    assert.equal(calls[1]!.stdin, { sha256: sha("MONGO-ARCHIVE-BYTES"), bytes: 19 });
    assert.equal(calls[4]!.args, ["compose", "exec", "-T", "librechat", "tar", "-C", "/app/uploads", "-xf", "-"]);
    assert.equal(calls[4]!.stdin, { sha256: sha("TAR-OF-A-VOLUME"), bytes: 15 });
    assert.is(read(dir, "secrets.env"), secrets);
    assert.is(modeOf(path.join(dir, "secrets.env")), 0o600);
    assertNoSecret(dir, docker, run);
  }));

test("restore --yes --json names every file it replaced, llm.config.ts included", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    const config = read(dir, "llm.config.ts");
    writeFileSync(path.join(dir, "llm.config.ts"), config.replace("llama3.2:3b", "qwen2.5:7b"));
    const run = await runCli(["restore", NAME, "--yes", "--json"], dir, { env: docker.env });
    assert.is(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { replacedFiles: string[] }).replacedFiles, ["llm.config.ts"]);
    assert.is(read(dir, "llm.config.ts"), config);
    const again = await runCli(["restore", NAME, "--yes"], dir, { env: docker.env });
    assert.is(again.code, 0, again.stderr);
    assert.not.match(again.stdout, "Replaced with the backup's", "an unchanged file named as replaced");
  }));

test("restore puts the files back all or nothing: one that cannot be written leaves the others as they were", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    writeFileSync(path.join(dir, "llm.config.ts"), read(dir, "llm.config.ts").replace("llama3.2:3b", "qwen2.5:7b"));
    writeFileSync(path.join(dir, "secrets.env"), read(dir, "secrets.env").replace(/^JWT_SECRET=.*$/m, "JWT_SECRET=changed"), { mode: 0o600 });
    // The last file restored cannot be: a folder (with a file in it) stands in its place.
    rmSync(path.join(dir, "secrets", "mongodb.env"));
    mkdirSync(path.join(dir, "secrets", "mongodb.env"));
    writeFileSync(path.join(dir, "secrets", "mongodb.env", "keep"), "x");
    const before = snapshot(dir);
    const run = await runCli(["restore", NAME, "--yes"], dir, { env: docker.env });
    assert.is(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      "error RESTORE_FAILED: could not put back llm.config.ts, secrets.env, secrets/librechat.env, secrets/meilisearch.env, secrets/mongodb.env: ",
    );
    assert.match(run.stderr, "nothing was changed; restored before it: mongodb.archive.gz, librechat-images.tar");
    assert.equal(snapshot(dir), before);
  }));

test("restore refuses a secrets/ that is a symbolic link before it changes anything", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    const elsewhere = tempDir("llm-elsewhere-");
    try {
      rmSync(path.join(dir, "secrets"), { recursive: true });
      symlinkSync(elsewhere, path.join(dir, "secrets"));
      const calls = docker.calls().length;
      const before = snapshot(dir);
      const run = await runCli(["restore", NAME, "--yes"], dir, { env: docker.env });
      assert.is(run.code, 4, run.stderr);
      assert.match(run.stderr, "error SYMLINK_REFUSED: secrets/ is a symbolic link");
      assert.equal(readdirSync(elsewhere), [], "a file was written through the link");
      assert.equal(snapshot(dir), before);
      assert.equal(docker.calls().slice(calls), [], "docker ran before the refusal");
    } finally {
      removeDir(elsewhere);
    }
  }));

test("restore asks first: no terminal and no --yes, or a no, changes nothing and runs nothing", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    const before = snapshot(dir);
    const calls = docker.calls().length;
    const refused = await runCli(["restore", NAME], dir, { env: docker.env });
    assert.is(refused.code, 2);
    assert.match(refused.stderr, `error CONFIRMATION_REQUIRED: nothing was restored: restoring ${NAME} replaces the stack's data`);
    let asked = "";
    const no = await runCli(["restore", NAME], dir, {
      env: docker.env,
      io: { prompt: async (q) => ((asked = q), "n") },
    });
    assert.is(no.code, 2);
    assert.is(asked, `Restore ${NAME}? [y/N] `);
    assert.match(no.stderr, "MongoDB (mongodump --archive --gzip");
    assert.equal(snapshot(dir), before);
    assert.equal(
      docker
        .calls()
        .slice(calls)
        .map((c) => c.args.join(" ")),
      ["compose ps --services --status running", "compose ps --services --status running"],
      "docker did more than look before the confirmation",
    );
    const yes = await runCli(["restore", NAME], dir, { env: docker.env, io: { prompt: async () => "y" } });
    assert.is(yes.code, 0, yes.stderr);
  }));

test("restore with a stopped service says so before asking", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    docker.script(healthy("mongodb\n"));
    let asked = false;
    const run = await runCli(["restore", NAME], dir, { env: docker.env, io: { prompt: async () => ((asked = true), "y") } });
    assert.is(run.code, 69);
    assert.match(run.stderr, "error SERVICE_STOPPED: librechat is not running");
    assert.not.ok(asked, "asked before finding the service stopped");
  }));

test("restore verifies checksums: a changed dump or a changed record is refused before anything runs", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    const folder = path.join(dir, "backups", NAME);
    const calls = docker.calls().length;
    writeFileSync(path.join(folder, "librechat-uploads.tar"), "TAR-OF-A-VOLUMF");
    const before = snapshot(dir);
    const run = await runCli(["restore", NAME, "--yes"], dir, { env: docker.env });
    assert.is(run.code, 2);
    assert.match(run.stderr, `error BACKUP_CORRUPT: backups/${NAME}: librechat-uploads.tar does not match its checksum`);
    writeFileSync(path.join(folder, "librechat-uploads.tar"), "TAR-OF-A-VOLUME");
    writeFileSync(path.join(folder, "backup.json"), read(folder, "backup.json").replace(sha("TAR-OF-A-VOLUME"), sha("other")));
    const record = await runCli(["restore", NAME, "--yes"], dir, { env: docker.env });
    assert.is(record.code, 2);
    assert.match(record.stderr, "backup.json is not the record COMPLETE vouches for");
    assert.is(docker.calls().length, calls, "docker ran for a corrupt backup");
    assert.equal(snapshot(dir).get("secrets.env"), before.get("secrets.env"));
  }));

test("restore refuses images of another major version without --force; a minor change is fine", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    const calls = docker.calls().length;
    const major = await runCli(["restore", NAME, "--yes", "--set", "mongodb.image=mongo:7.0.14"], dir, { env: docker.env });
    assert.is(major.code, 4, major.stderr);
    assert.match(major.stderr, "error IMAGE_MISMATCH: the stack's images differ in major version from the backup's: mongodb mongo:8.0.29 → mongo:7.0.14");
    assert.is(docker.calls().length, calls);
    const forced = await runCli(["restore", NAME, "--yes", "--force", "--set", "mongodb.image=mongo:7.0.14"], dir, { env: docker.env });
    assert.is(forced.code, 0, forced.stderr);
    const minor = await runCli(["restore", NAME, "--yes", "--set", "mongodb.image=mongo:8.0.30"], dir, { env: docker.env });
    assert.is(minor.code, 0, minor.stderr);
  }));

test("restore of a name that is not a backup lists the complete ones", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    for (const name of ["nope", "../backups", "."]) {
      const run = await runCli(["restore", name, "--yes"], dir, { env: docker.env });
      assert.is(run.code, 2);
      assert.match(run.stderr, `error BACKUP_NOT_FOUND: no backup ${JSON.stringify(name)} in backups/\nhint: complete backups: ${NAME}\n`);
    }
  }));

test("llm restore with no name lists the backups, complete or not, and names the newest complete one", () =>
  withDocker(healthy(), async (dir, docker) => {
    const none = await runCli(["restore"], dir, { env: docker.env });
    assert.is(none.code, 2);
    assert.is(none.stderr, "error BACKUP_NOT_FOUND: there are no backups in backups/\nhint: make one with llm backup\n");
    assert.is((await backup(dir, docker)).code, 0);
    docker.script([healthy()[0]!, { match: ["mongodump"], code: 1, stderr: "Failed: boom\n" }]);
    assert.is((await backup(dir, docker)).code, 3);
    const run = await runCli(["restore"], dir, { env: docker.env });
    assert.is(run.code, 0, run.stderr);
    assert.is(
      run.stdout,
      [
        "Backups in backups/ (oldest first):",
        `  ${NAME}  complete`,
        `  ${NAME}-2  incomplete: BACKUP_FAILED: the dump of MongoDB (mongodump --archive --gzip: conversations, users, stored credentials) failed in mongodb (exit 1): Failed: boom`,
        "",
        `Restore one: llm restore ${NAME}`,
        "",
      ].join("\n"),
    );
  }));

test("a failed restore names what was restored before it, and hides the backup's secrets as well as today's", () =>
  withDocker(healthy(), async (dir, docker) => {
    assert.is((await backup(dir, docker)).code, 0);
    const old = parseSecrets(read(dir, "secrets.env")).get("MONGO_PASSWORD")!.value;
    writeFileSync(path.join(dir, "secrets.env"), read(dir, "secrets.env").replace(old, "b".repeat(32)), { mode: 0o600 });
    docker.script([
      healthy()[0]!,
      { match: ["mongorestore"], readStdin: true },
      { match: ["tar", "-xf", "/app/client/public/images"], readStdin: true, code: 2, stderr: `tar: short read; password was ${old}\n` },
    ]);
    const before = read(dir, "secrets.env");
    const run = await runCli(["restore", NAME, "--yes"], dir, { env: docker.env });
    assert.is(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      "error RESTORE_FAILED: restoring librechat-images.tar into librechat failed (exit 2): tar: short read; password was <secret>; restored before it: mongodb.archive.gz",
    );
    assert.not.ok(run.stderr.includes(old));
    assert.is(read(dir, "secrets.env"), before, "files were put back after a failed dump");
  }));

test("restore refuses a backup holding data this stack has no service for (rag switched off)", () =>
  withDocker(
    healthy(`${RUNNING}vectordb\nrag-api\n`),
    async (dir, docker) => {
      assert.is((await backup(dir, docker)).code, 0);
      const run = await runCli(["restore", NAME, "--yes", "--set", "rag.enabled=false"], dir, { env: docker.env });
      assert.is(run.code, 2);
      assert.match(
        run.stderr,
        `error BACKUP_MISMATCH: backups/${NAME} holds PostgreSQL of the rag module (pg_dump --format=custom: the embeddings), which this stack has no service for`,
      );
    },
    CONFIG.replace("models:", "rag: { enabled: true }, models:"),
  ));

test("scaling: the dumps run in the first LibreChat replica and the Ollama that mounts the models", () =>
  withDocker(
    healthy("librechat-1\nlibrechat-2\nmeilisearch\nmongodb\nnginx\nollama-1\nollama-2\n"),
    async (dir, docker) => {
      const run = await backup(dir, docker, ["--with-models"]);
      assert.is(run.code, 0, run.stderr);
      assert.equal([...new Set(docker.calls().flatMap((c) => (c.args[1] === "exec" ? [c.args[3]] : [])))], ["mongodb", "librechat-1", "ollama-1"]);
    },
    CONFIG.replace("models:", "scaling: { enabled: true, librechatReplicas: 2, ollamaReplicas: 2 }, models:"),
  ));

test("a folder never generated: BACKUP_FAILED names secrets.env and says to run llm generate", async () => {
  const dir = tempDir();
  const docker = fakeDocker(healthy());
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG);
    const run = await runCli(["backup"], dir, { env: docker.env, io: { now: () => NOW } });
    assert.is(run.code, 3, run.stderr);
    assert.match(run.stderr, "error BACKUP_FAILED: could not copy secrets.env (the secrets): ENOENT");
    assert.match(run.stderr, "hint: run `llm generate` first");
    assert.not.ok(existsSync(path.join(dir, "backups", NAME, "COMPLETE")));
    assert.not.ok(
      docker.calls().some((c) => c.args.includes("exec")),
      "a dump ran without the secrets copied",
    );
  } finally {
    removeDir(dir);
    removeDir(docker.dir);
  }
});

test("a backups/ that is a symbolic link is refused; nothing is written through it", () =>
  withDocker(healthy(), async (dir, docker) => {
    const elsewhere = tempDir("llm-elsewhere-");
    try {
      symlinkSync(elsewhere, path.join(dir, "backups"));
      const run = await backup(dir, docker);
      assert.is(run.code, 4, run.stderr);
      assert.match(run.stderr, "error SYMLINK_REFUSED: backups/ is a symbolic link; llm never writes a backup through a link");
      assert.equal(readdirSync(elsewhere), []);
      assert.not.ok(
        docker.calls().some((c) => c.args.includes("exec")),
        "a dump ran",
      );
    } finally {
      removeDir(elsewhere);
    }
  }));

test("--config from another folder: docker runs in the config's folder and the backup lands beside it", () =>
  withDocker(healthy(), async (dir, docker) => {
    const parent = path.dirname(dir);
    const run = await runCli(["backup", "--config", path.join(path.basename(dir), "llm.config.ts")], parent, { env: docker.env, io: { now: () => NOW } });
    assert.is(run.code, 0, run.stderr);
    for (const call of docker.calls()) assert.is(call.cwd, dir);
    assert.ok(existsSync(path.join(dir, "backups", NAME, "COMPLETE")));
    assert.ok(
      manifestOf(dir).entries.some((e) => e.file === "files/llm.config.ts" && e.source?.path === "llm.config.ts"),
      "the config is not recorded relative to its folder",
    );
    const restore = await runCli(["restore", NAME, "--yes", "--config", path.join(path.basename(dir), "llm.config.ts")], parent, { env: docker.env });
    assert.is(restore.code, 0, restore.stderr);
  }));

test("a Kubernetes-only config: BACKUP_UNSUPPORTED, nothing written", async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("models:", 'targets: ["kubernetes"], models:'));
    const docker = fakeDocker(healthy());
    const run = await runCli(["backup"], dir, { env: docker.env });
    assert.is(run.code, 2);
    assert.match(run.stderr, "error BACKUP_UNSUPPORTED: llm backup works with the Compose target only; llm.config.ts targets kubernetes");
    assert.not.ok(existsSync(path.join(dir, "backups")));
    assert.equal(docker.calls(), []);
    removeDir(docker.dir);
  } finally {
    removeDir(dir);
  }
});

test("names sort by time; majors: the first number, or two below 1.0; another repository always differs", () => {
  assert.is(backupName(NOW), NAME);
  assert.is(majorOf("mongo:8.0.29"), "8");
  assert.is(majorOf("ghcr.io/danny-avila/librechat:v0.8.7"), "0.8");
  assert.is(majorOf("pgvector/pgvector:0.8.6-pg15-trixie"), "0.8-pg15");
  assert.is(majorOf("localhost:5000/mongo"), null);
  assert.is(majorOf("mongo:latest"), null);
  const before = { mongodb: "mongo:8.0.29", librechat: "ghcr.io/danny-avila/librechat:v0.8.7", vectordb: "pgvector/pgvector:0.8.6-pg15-trixie" };
  assert.equal(majorChanges(before, { ...before, mongodb: "mongo:8.2.1", librechat: "ghcr.io/danny-avila/librechat:v0.8.9" }, ["mongodb", "librechat"]), []);
  assert.equal(
    majorChanges(before, { ...before, librechat: "ghcr.io/danny-avila/librechat:v0.9.0", mongodb: "percona/mongo:8.0.29" }, [
      "mongodb",
      "librechat",
      "vectordb",
    ]).map((c) => c.service),
    ["mongodb", "librechat"],
  );
  assert.equal(majorChanges(before, { ...before, vectordb: "pgvector/pgvector:0.8.6-pg16-trixie" }, ["vectordb"]).length, 1);
  assert.equal(majorChanges({ mongodb: "mongo:latest" }, { mongodb: "mongo:8.0.29" }, ["mongodb"]).length, 1);
});

test.run();
