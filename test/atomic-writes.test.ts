// All-or-nothing writes, in-process: a failure injected at every single file operation of a
// generate leaves every file as before; a crash (no operation works any more) at every point is
// finished or undone by the next run; the lock keeps runs apart.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runDiff } from "../src/app/diff.js";
import { runGenerate } from "../src/app/generate.js";
import { nodeFs, type WriterFs } from "../src/io/fs.js";
import { acquireLock } from "../src/io/lock.js";
import { commit, recover } from "../src/io/transaction.js";
import { CONFIG, MONITORING_CONFIG, read } from "./helpers/committed.js";
import { countingFs, dyingFs, failingFs } from "./helpers/faulty-fs.js";
import { removeDir, runCli, seededRandom, snapshot, tempDir, workspaceWith } from "./helpers/workspace.js";

const test = suite("atomic writes: injected failures, simulated crashes, the lock");

/** A pid no process can have (above Linux's pid_max): the owner of a lock left by a "crash". */
const DEAD_PID = 4_194_305;
const CONFIG_B = CONFIG.replace("llama3.2:3b", "qwen2.5:7b").replace("models:", 'librechat: { title: "Team Chat" }, models:');

type Snap = ReturnType<typeof snapshot>;
const isRunState = (file: string) => file.startsWith(path.join(".llm", "tx"));
const contentsOf = (snap: Snap) =>
  new Map([...snap].filter(([file]) => !isRunState(file)).map(([file, entry]) => [file, `${entry.mode.toString(8)} ${entry.contents}`]));

/** Folder state "A": generated with monitoring on; then one file deleted (so B creates it) and the
 * config changed to B (monitoring off): B updates, creates and removes files. */
let templateDir = "";
async function stateA(): Promise<string> {
  if (!templateDir) {
    templateDir = workspaceWith("llm.config.ts", MONITORING_CONFIG);
    const a = await runGenerate({ cwd: templateDir, random: seededRandom() });
    assert.ok(a.ok);
    rmSync(path.join(templateDir, ".env"));
    writeFileSync(path.join(templateDir, "llm.config.ts"), CONFIG_B);
  }
  const dir = tempDir("llm-atomic-");
  cpSync(templateDir, dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

/** What a successful run from state A gives, and the file operations it takes. */
async function stateB(): Promise<{ after: Map<string, string>; ops: string[] }> {
  const dir = await stateA();
  try {
    const fs = countingFs();
    const result = await runGenerate({ cwd: dir, fs, random: seededRandom() });
    assert.ok(result.ok && result.value.refused.length === 0 && result.value.removed.length === 6 && result.value.written.includes(".env"));
    return { after: contentsOf(snapshot(dir)), ops: fs.calls };
  } finally {
    removeDir(dir);
  }
}

/** The real filesystem, running `change` once just before the first folder is made: taking the
 * lock creates .llm/tx, after a run's check and before the plan it writes. */
function beforeTheLock(change: () => void): WriterFs & { ran: () => boolean } {
  let ran = false;
  return {
    ...nodeFs,
    async mkdirp(folder, mode) {
      if (!ran) {
        ran = true;
        change();
      }
      return nodeFs.mkdirp(folder, mode);
    },
    ran: () => ran,
  };
}

test("what changes between the check and the lock is planned again: a private file deleted meanwhile is written back", async () => {
  const dir = workspaceWith("llm.config.ts", MONITORING_CONFIG);
  try {
    assert.ok((await runGenerate({ cwd: dir, random: seededRandom() })).ok);
    const token = path.join(dir, "secrets", "metrics-token");
    const expected = readFileSync(token, "utf8");
    // .env is missing, so the run takes the lock (a folder with nothing to write takes none).
    rmSync(path.join(dir, ".env"));
    const fs = beforeTheLock(() => rmSync(token));
    const result = await runGenerate({ cwd: dir, fs, random: seededRandom() });
    assert.ok(result.ok && fs.ran());
    assert.equal(result.value.written, [".env", "secrets/metrics-token"]);
    assert.is(readFileSync(token, "utf8"), expected);
  } finally {
    removeDir(dir);
  }
});

test("a private file the manifest does not list, written by someone between the check and the lock, is planned as it is then", async () => {
  // Monitoring on, off (its private files go, its secrets stay in secrets.env), on again: the
  // manifest lists no private file, so only the plan's own reading of them sees a change.
  const dir = workspaceWith("llm.config.ts", MONITORING_CONFIG);
  try {
    assert.ok((await runGenerate({ cwd: dir, random: seededRandom() })).ok);
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG);
    assert.ok((await runGenerate({ cwd: dir, random: seededRandom() })).ok);
    writeFileSync(path.join(dir, "llm.config.ts"), MONITORING_CONFIG);
    const token = path.join(dir, "secrets", "metrics-token");
    assert.not.ok(existsSync(token));
    const fs = beforeTheLock(() => {
      mkdirSync(path.dirname(token), { recursive: true });
      writeFileSync(token, "someone else's\n");
    });
    const result = await runGenerate({ cwd: dir, fs, random: seededRandom() });
    assert.ok(result.ok && fs.ran());
    // The plan made before the lock saw no file there and would report it created.
    assert.ok(result.value.written.includes("secrets/metrics-token"));
    assert.not.ok(result.value.created.includes("secrets/metrics-token"), "replaced, not created");
    assert.is.not(readFileSync(token, "utf8"), "someone else's\n");
    assert.equal(result.value.refused, []);
  } finally {
    removeDir(dir);
  }
});

test("a journal naming files outside its own folder is refused, and nothing is moved", async () => {
  const base = tempDir();
  try {
    const root = path.join(base, "stack");
    const txDir = path.join(root, ".llm", "tx");
    mkdirSync(txDir, { recursive: true });
    writeFileSync(path.join(base, "elsewhere.txt"), "not ours\n");
    writeFileSync(
      path.join(txDir, "journal.json"),
      JSON.stringify({ version: 1, phase: "apply", entries: [{ path: "docker-compose.yml", staged: "../../../elsewhere.txt" }] }),
    );
    await recover(root, txDir, nodeFs).then(
      () => assert.unreachable("recovered a planted journal"),
      (error: Error) => assert.match(error.message, /journal\.json is damaged: it names files this tool does not write/),
    );
    assert.is(readFileSync(path.join(base, "elsewhere.txt"), "utf8"), "not ours\n");
    assert.not.ok(existsSync(path.join(root, "docker-compose.yml")));
  } finally {
    removeDir(base);
  }
});

test("a damaged journal is named, with a way out that works: not a hint that fails again on every run", async () => {
  const dir = await stateA();
  try {
    const txDir = path.join(dir, ".llm", "tx");
    mkdirSync(txDir, { recursive: true });
    writeFileSync(path.join(txDir, "0.new"), "a staged file\n");
    for (const journal of ['{"version": 1, "phase": "apply", "entries": [', "\u0000\u0000", '{"version": 7}']) {
      writeFileSync(path.join(txDir, "journal.json"), journal);
      const before = snapshot(dir);
      for (const args of [["generate"], ["diff"]]) {
        // Before: WRITE_INTERRUPTED, "run llm generate: it finishes or undoes ...", which failed the same way again.
        const run = await runCli(args, dir);
        assert.is(run.code, 3, `${args[0]}: ${run.stderr}`);
        assert.ok(run.stderr.startsWith("error JOURNAL_INVALID: .llm/tx/journal.json of an interrupted run is damaged ("), run.stderr);
        assert.match(run.stderr, "Drop the interrupted run with `rm -r .llm/tx`");
        assert.equal(snapshot(dir), before, "nothing moved");
      }
    }
    rmSync(txDir, { recursive: true });
    const after = await runCli(["generate"], dir);
    assert.is(after.code, 0, after.stderr);
    assert.is((await runCli(["generate", "--check"], dir)).code, 0);
  } finally {
    removeDir(dir);
  }
});

test("every staged file and the journal are flushed to disk before the journal names them", async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, "old.txt"), "old\n");
    const fs = countingFs();
    const txDir = path.join(dir, ".llm", "tx");
    await commit(
      dir,
      txDir,
      {
        writes: [
          { path: "old.txt", text: "new\n", mode: 0o644 },
          { path: "a/new.txt", text: "n\n", mode: 0o600 },
        ],
        deletes: [],
      },
      fs,
    );
    const journalAt = fs.calls.findIndex((call) => call.startsWith("rename ") && call.endsWith(".tmp"));
    assert.ok(journalAt > 0, fs.calls.join("\n"));
    const flushedBefore = fs.calls
      .slice(0, journalAt)
      .filter((call) => call.startsWith("flush "))
      .join("\n");
    for (const staged of ["0.new", "1.new"])
      assert.ok(flushedBefore.includes(path.join(txDir, staged)), `${staged} flushed before the journal:\n${fs.calls.join("\n")}`);
    assert.ok(
      fs.calls[journalAt - 1]!.startsWith("flush ") && fs.calls[journalAt - 1]!.includes("journal"),
      "the journal itself is flushed before it is renamed into place",
    );
  } finally {
    removeDir(dir);
  }
});

test("commit: writes, creates folders, removes files and emptied folders, leaves no run state", async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, "old.txt"), "old\n");
    writeFileSync(path.join(dir, "gone.txt"), "gone\n");
    const txDir = path.join(dir, ".llm", "tx");
    await commit(
      dir,
      txDir,
      {
        writes: [
          { path: "old.txt", text: "new\n", mode: 0o644 },
          { path: "a/b/c.txt", text: "c\n", mode: 0o600 },
        ],
        deletes: ["gone.txt"],
      },
      nodeFs,
    );
    const after = snapshot(dir);
    assert.equal([...after.keys()].sort(), [path.join("a", "b", "c.txt"), "old.txt"]);
    assert.is(after.get("old.txt")?.contents, "new\n");
    assert.is(after.get(path.join("a", "b", "c.txt"))?.mode, 0o600);
    assert.equal(readdirSync(txDir), []);
    await commit(dir, txDir, { writes: [], deletes: ["a/b/c.txt"] }, nodeFs);
    assert.not.ok(existsSync(path.join(dir, "a")), "emptied folders are removed");
    try {
      await commit(dir, txDir, { writes: [{ path: "../escape.txt", text: "x", mode: 0o644 }], deletes: [] }, nodeFs);
      assert.unreachable("a path outside the folder must be refused");
    } catch (error) {
      assert.match(String(error), /outside the output folder/);
    }
    assert.not.ok(existsSync(path.join(dir, "..", "escape.txt")));
  } finally {
    removeDir(dir);
  }
});

test("a write failure injected at each file operation in turn leaves every file as before", async () => {
  const { after, ops } = await stateB();
  assert.ok(ops.length >= 30, `a run takes ${ops.length} operations`);
  let failedMidApply = 0;
  for (let failAt = 1; failAt <= ops.length; failAt++) {
    const dir = await stateA();
    try {
      const before = snapshot(dir);
      const fs = failingFs(failAt);
      const result = await runGenerate({ cwd: dir, fs, random: seededRandom() });
      const op = ops[failAt - 1]!;
      if (result.ok) {
        // Only faults with a fallback (no hard link: the lock is created exclusively, a backup is
        // copied) or in tidying up (emptied folders, run state) may pass unreported; the run is then complete.
        assert.equal(contentsOf(snapshot(dir)), after, `fault at ${failAt} (${op}): result must be B`);
        assert.ok(/^(link|rmdir) |^unlink .*\.llm/.test(op), `fault at ${failAt} (${op}) was not reported`);
        continue;
      }
      assert.is(result.error.code, "WRITE_FAILED", `fault at ${failAt} (${op}): ${result.error.message}`);
      assert.match(result.error.message, /^could not write the generated files: ENOSPC: injected failure, \w+; nothing was changed$/);
      assert.equal(snapshot(dir), before, `fault at ${failAt} (${op}): every file as before (bytes, modes, mtimes), no leftovers`);
      const targetsRenamed = fs.calls
        .slice(0, -1)
        .filter((call) => call.startsWith("rename ") && !call.includes(`${path.sep}.llm${path.sep}tx${path.sep}journal`)).length;
      if (targetsRenamed > 0) failedMidApply++;
    } finally {
      removeDir(dir);
    }
  }
  assert.ok(failedMidApply >= 4, `${failedMidApply} faults came after some files were already replaced`);
});

test("a crash at each file operation in turn: no truncated file, and the next run finishes or undoes it", async () => {
  const { after, ops } = await stateB();
  const outcomes = { "rolled-forward": 0, "rolled-back": 0, none: 0 };
  for (let dieAt = 1; dieAt <= ops.length; dieAt++) {
    const dir = await stateA();
    try {
      const before = contentsOf(snapshot(dir));
      await runGenerate({ cwd: dir, fs: dyingFs(dieAt), random: seededRandom(), lock: { owner: { pid: DEAD_PID, host: os.hostname() } } });
      const crashed = contentsOf(snapshot(dir));
      for (const [file, text] of crashed) {
        assert.ok(text === before.get(file) || text === after.get(file), `crash at ${dieAt} (${ops[dieAt - 1]}): ${file} is neither old nor new`);
      }
      // The next command (even a read-only diff) finishes the interrupted run first.
      const next = await runDiff({ cwd: dir });
      assert.ok(next.ok, next.ok ? "" : next.error.message);
      outcomes[next.value.recovered]++;
      const state = contentsOf(snapshot(dir));
      const same = (expected: Map<string, string>) => JSON.stringify([...state].sort()) === JSON.stringify([...expected].sort());
      assert.ok(same(before) || same(after), `crash at ${dieAt} (${ops[dieAt - 1]}): after recovery the folder is a mix of old and new`);
      assert.not.ok(existsSync(path.join(dir, ".llm", "tx")), `crash at ${dieAt}: run state left behind`);
      if (same(after)) assert.equal(next.value.files, [], "B is complete: nothing left to do");
    } finally {
      removeDir(dir);
    }
  }
  assert.ok(outcomes["rolled-forward"] >= 5, JSON.stringify(outcomes));
  assert.ok(outcomes.none >= 5, JSON.stringify(outcomes));
});

test("after a crash mid-apply, generate finishes the run instead of mistaking new files for hand edits", async () => {
  const { after, ops } = await stateB();
  const firstTarget = ops.findIndex((op) => op.startsWith("rename ") && op.includes(`${path.sep}tx${path.sep}`) && !op.includes("journal")) + 1;
  const dir = await stateA();
  try {
    await runGenerate({ cwd: dir, fs: dyingFs(firstTarget + 1), random: seededRandom(), lock: { owner: { pid: DEAD_PID, host: os.hostname() } } });
    assert.ok(existsSync(path.join(dir, ".llm", "tx", "journal.json")), "the crash came after the commit point");
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes("  finished an interrupted run first (its changes were completed)\n"), run.stdout);
    assert.equal(contentsOf(snapshot(dir)), after);
  } finally {
    removeDir(dir);
  }
});

test("recovery rolls back when the interrupted run cannot be finished (its staged file is unusable)", async () => {
  const dir = await stateA();
  try {
    const before = contentsOf(snapshot(dir));
    // Crash right after the journal (the commit point) was written.
    const { ops } = await stateB();
    const journalAt = ops.findIndex((op) => /^rename .*journal\.json\.tmp$/.test(op)) + 1;
    await runGenerate({ cwd: dir, fs: dyingFs(journalAt + 1), random: seededRandom(), lock: { owner: { pid: DEAD_PID, host: os.hostname() } } });
    const txDir = path.join(dir, ".llm", "tx");
    const journal = JSON.parse(read(txDir, "journal.json")) as { entries: { path: string; staged?: string }[] };
    // Make the roll-forward fail: a staged file's target is now a non-empty folder.
    const entry = journal.entries.find((e) => e.path === "librechat.yaml")!;
    rmSync(path.join(dir, "librechat.yaml"));
    cpSync(path.join(dir, ".llm"), path.join(dir, "librechat.yaml", "blocker"), { recursive: true, filter: (src) => !src.includes(`${path.sep}tx`) });
    assert.ok(entry.staged);
    const outcome = await recover(dir, txDir, nodeFs);
    assert.is(outcome, "rolled-back");
    rmSync(path.join(dir, "librechat.yaml"), { recursive: true });
    // Every other file is back to A (librechat.yaml was the obstacle the test put there).
    const state = contentsOf(snapshot(dir));
    for (const [file, text] of before) if (file !== "librechat.yaml") assert.is(state.get(file), text, file);
  } finally {
    removeDir(dir);
  }
});

test("a folder already up to date is left untouched: no lock, no folder made or removed, not one write", async () => {
  const dir = workspaceWith("llm.config.ts", MONITORING_CONFIG);
  try {
    const first = await runGenerate({ cwd: dir, random: seededRandom() });
    assert.ok(first.ok && first.value.written.length > 0);
    const before = snapshot(dir);
    const fs = countingFs();
    const again = await runGenerate({ cwd: dir, fs, random: seededRandom("other") });
    assert.ok(again.ok, again.ok ? "" : again.error.message);
    assert.equal(again.value.written, []);
    assert.ok(again.value.unchanged.length > 0);
    assert.equal(fs.calls, []);
    assert.equal(snapshot(dir), before);
    // An interrupted run's folder is another matter: it is locked and finished first.
    mkdirSync(path.join(dir, ".llm", "tx"));
    const locked = countingFs();
    assert.ok((await runGenerate({ cwd: dir, fs: locked, random: seededRandom() })).ok);
    assert.ok(
      locked.calls.some((call) => call.startsWith("writeNew") && call.endsWith(path.join(".llm", "tx", "lock"))),
      locked.calls.join("\n"),
    );
    assert.not.ok(existsSync(path.join(dir, ".llm", "tx")));
  } finally {
    removeDir(dir);
  }
});

test("lock: a live holder is refused with its pid, a dead one's lock is taken over, another host's is respected", async () => {
  const dir = tempDir();
  try {
    const txDir = path.join(dir, ".llm", "tx");
    const first = await acquireLock(txDir, nodeFs, { owner: { pid: 101, host: "here" }, isAlive: () => true, shownAs: ".llm/tx/lock" });
    assert.ok(first.ok);
    const second = await acquireLock(txDir, nodeFs, { owner: { pid: 202, host: "here" }, isAlive: (pid) => pid === 101, shownAs: ".llm/tx/lock" });
    assert.not.ok(second.ok);
    if (!second.ok) {
      assert.is(second.error.code, "LOCKED");
      assert.is(second.error.message, "another llm run (pid 101) is writing in this folder");
      assert.is(second.error.hint, "wait for it to finish and run the command again; if no such process is running, delete .llm/tx/lock");
    }
    const otherHost = await acquireLock(txDir, nodeFs, { owner: { pid: 303, host: "elsewhere" }, isAlive: () => false });
    assert.not.ok(otherHost.ok, "a pid on another host cannot be checked: the lock is respected");
    const takeover = await acquireLock(txDir, nodeFs, { owner: { pid: 404, host: "here" }, isAlive: () => false });
    assert.ok(takeover.ok, "the holder died: its lock is stale");
    assert.equal(JSON.parse(read(txDir, "lock")), { pid: 404, host: "here" });
    if (takeover.ok) await takeover.value.release();
    assert.not.ok(existsSync(txDir));
  } finally {
    removeDir(dir);
  }
});

test("lock via the CLI: a running holder stops generate with exit 4 and nothing changes; a stale lock does not", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG);
  try {
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG_B);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.join(dir, ".llm", "tx"));
    // The test runner's parent is alive for the whole test.
    writeFileSync(path.join(dir, ".llm", "tx", "lock"), JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    const before = snapshot(dir);
    const locked = await runCli(["generate"], dir);
    assert.is(locked.code, 4);
    assert.is(
      locked.stderr,
      `error LOCKED: another llm run (pid ${process.ppid}) is writing in this folder\nhint: wait for it to finish and run the command again; if no such process is running, delete .llm/tx/lock\n`,
    );
    assert.equal(snapshot(dir), before);

    writeFileSync(path.join(dir, ".llm", "tx", "lock"), JSON.stringify({ pid: DEAD_PID, host: os.hostname() }));
    const stale = await runCli(["generate", "--quiet"], dir);
    assert.is(stale.code, 0, stale.stderr);
    assert.ok(read(dir, "docker-compose.yml").includes("qwen2.5:7b"));
    assert.not.ok(existsSync(path.join(dir, ".llm", "tx")));
  } finally {
    removeDir(dir);
  }
});

test.after(() => {
  if (templateDir) removeDir(templateDir);
});

test.run();
