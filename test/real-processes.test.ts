// The writer against real processes and a real filesystem: `kill -9` of `llm generate` at random
// moments, two runs at once, and a permission error in the middle of a commit.
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CONFIG, read } from "./helpers/committed.js";
import { CLI } from "./helpers/paths.js";
import { assertNoSecretShown, removeDir, seededRandom, snapshot, workspaceWith } from "./helpers/workspace.js";
import { parseSecrets } from "../src/secrets/store.js";

const test = suite("real processes: kill -9 at random moments, concurrent runs, permission errors");

const CONFIG_A = CONFIG;
// B changes every generated file and adds a preset, so A and B differ everywhere.
const CONFIG_B = CONFIG.replace('["cpu"]', '["cpu", "low-ram"]')
  .replace("llama3.2:3b", "qwen2.5:7b")
  .replace("models:", 'librechat: { title: "Team Chat" }, models:');
/** Kills that must land inside a run's writes (its lock taken, its run state on disk). Rounds go
 * on until that many did, up to MAX_ROUNDS. */
const MID_WRITE_KILLS = 20;
const MAX_ROUNDS = 60;
const DELAY_MS = "12";

type Snap = ReturnType<typeof snapshot>;
const isRunState = (file: string) => file.startsWith(path.join(".llm", "tx"));
const files = (snap: Snap) =>
  new Map([...snap].filter(([file]) => !isRunState(file) && file !== "llm.config.ts").map(([file, entry]) => [file, entry.contents]));
const sameFiles = (a: Map<string, string>, b: Map<string, string>) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

function cli(args: string[], cwd: string, env: Record<string, string> = {}, uid?: number): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
}

function secretsOf(dir: string): string[] {
  return [...parseSecrets(read(dir, "secrets.env")).values()].map((entry) => entry.value);
}

type Anchor = "start" | "lock" | "journal";
/** Files that show how far a run got: its lock (it began), its journal (it passed its commit point). */
const ANCHOR_FILE = { lock: path.join(".llm", "tx", "lock"), journal: path.join(".llm", "tx", "journal.json") };

/** Spawns `llm generate` slowed down by the debug hook and kills it with SIGKILL `afterMs` after
 * the anchor: its start, the moment it took its lock, or the moment its journal appeared. */
function generateKilled(dir: string, afterMs: number, anchor: Anchor): Promise<{ runState: boolean; lockMs: number | null }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, "generate", "--quiet"], {
      cwd: dir,
      env: { ...process.env, LLM_DEBUG_WRITE_DELAY_MS: DELAY_MS },
      stdio: "ignore",
    });
    let runState = false;
    let lockMs: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      runState = existsSync(path.join(dir, ".llm", "tx"));
      child.kill("SIGKILL");
    };
    const poll = setInterval(() => {
      if (lockMs === null && existsSync(path.join(dir, ANCHOR_FILE.lock))) {
        lockMs = Date.now() - started;
        if (anchor === "lock") timer = setTimeout(kill, afterMs);
      }
      if (anchor === "journal" && timer === undefined && existsSync(path.join(dir, ANCHOR_FILE.journal))) timer = setTimeout(kill, afterMs);
    }, 1);
    if (anchor === "start") timer = setTimeout(kill, afterMs);
    child.on("error", reject);
    child.on("exit", () => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ runState, lockMs });
    });
  });
}

test(`kill -9 of a real \`llm generate\` at random moments, ${MID_WRITE_KILLS} of them inside its writes: never a truncated file, never a mix once the next run has run`, async () => {
  assert.ok(existsSync(CLI), "run `npm run build` first");
  const dir = workspaceWith("llm.config.ts", CONFIG_A);
  try {
    assert.is(cli(["generate", "--quiet"], dir).status, 0);
    const stateA = files(snapshot(dir));
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG_B);
    // A run left alone, to time it: start-up, then the writes (lock to release).
    const started = Date.now();
    const full = await generateKilled(dir, 60_000, "start");
    const runMs = Date.now() - started;
    const lockedMs = runMs - (full.lockMs ?? 0);
    assert.ok(full.lockMs !== null && lockedMs > 100, JSON.stringify({ runMs, ...full }));
    const stateB = files(snapshot(dir));
    assert.is(stateA.size, stateB.size);
    // The secrets and the services' files derived from them, and the managed blocks, are the same for both configs.
    for (const [file, text] of stateA)
      if (!["secrets.env", ".gitignore", ".gitattributes"].includes(file) && !file.startsWith("secrets/"))
        assert.is.not(stateB.get(file), text, `${file} must differ between A and B`);
    // After the commit point each changed file is one delayed rename: kills in that window land
    // between two renames.
    const applyMs = Number(DELAY_MS) * ([...stateA].filter(([file, text]) => stateB.get(file) !== text).length + 1);

    const random = seededRandom(process.env["KILL_SEED"] ?? "kill-9");
    const uniform = () => parseInt(random("0123456789abcdef", 8), 16) / 0xffffffff;
    const tally = { killedMidRun: 0, rolledForward: 0, untouched: 0, finished: 0 };
    let current = stateB;
    let rounds = 0;
    for (let round = 0; tally.killedMidRun < MID_WRITE_KILLS && round < MAX_ROUNDS; round++) {
      rounds++;
      const [targetConfig, target] = current === stateA ? [CONFIG_B, stateB] : [CONFIG_A, stateA];
      const old = current;
      writeFileSync(path.join(dir, "llm.config.ts"), targetConfig);
      // A quarter of the kills anywhere from start-up to past the end, a quarter while it holds
      // its lock, half just after its commit point, while files are being replaced.
      const pick = uniform();
      const anchor: Anchor = pick < 0.25 ? "start" : pick < 0.5 ? "lock" : "journal";
      const windowMs = anchor === "start" ? runMs * 1.1 : anchor === "lock" ? lockedMs * 1.05 : applyMs;
      const afterMs = Math.round(windowMs * uniform());
      const { runState } = await generateKilled(dir, afterMs, anchor);
      if (runState) tally.killedMidRun++;

      const killed = files(snapshot(dir));
      for (const [file, text] of killed) {
        assert.ok(
          text === old.get(file) || text === target.get(file),
          `round ${round} (kill ${afterMs} ms after ${anchor}): ${file} is neither the old nor the new file`,
        );
      }
      const wasMixed = !sameFiles(killed, old) && !sameFiles(killed, target);

      // The next run (a read-only diff) finishes or undoes whatever the killed one left.
      const next = cli(["diff"], dir);
      assert.ok(next.status === 0 || next.status === 1, `round ${round}: diff exit ${next.status}: ${next.stderr}`);
      assertNoSecretShown({ code: next.status ?? -1, stdout: next.stdout, stderr: next.stderr }, secretsOf(dir));
      const recovered = files(snapshot(dir));
      const atNew = sameFiles(recovered, target);
      assert.ok(atNew || sameFiles(recovered, old), `round ${round} (kill ${afterMs} ms after ${anchor}): a mix of old and new files after recovery`);
      assert.not.ok(existsSync(path.join(dir, ".llm", "tx")), `round ${round}: run state left behind`);
      assert.is(next.status, atNew ? 0 : 1, `round ${round}: diff agrees with the state`);
      if (wasMixed) tally.rolledForward++;
      else if (atNew) tally.finished++;
      else tally.untouched++;
      current = atNew ? target : old;
    }
    if (process.env["KILL_VERBOSE"]) console.log(JSON.stringify({ runMs, lockedMs, rounds, ...tally }));
    // The kills must have landed in the middle of runs, not only before or after them.
    assert.ok(tally.killedMidRun >= MID_WRITE_KILLS, JSON.stringify({ rounds, ...tally }));
    assert.ok(tally.rolledForward >= 4, JSON.stringify(tally));
    assert.ok(cli(["generate", "--quiet"], dir).status === 0);
  } finally {
    removeDir(dir);
  }
});

test("two runs at once: one writes, the other stops at the lock naming the first; the result is complete", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG_A);
  try {
    assert.is(cli(["generate", "--quiet"], dir).status, 0);
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG_B);
    const run = () =>
      new Promise<{ pid: number; code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, "generate", "--quiet"], { cwd: dir, env: { ...process.env, LLM_DEBUG_WRITE_DELAY_MS: "40" } });
        let stderr = "";
        child.stderr.on("data", (chunk) => (stderr += String(chunk)));
        child.on("exit", (code) => resolve({ pid: child.pid ?? 0, code, stderr }));
      });
    const results = await Promise.all([run(), run()]);
    const winner = results.find((r) => r.code === 0);
    const loser = results.find((r) => r.code !== 0);
    assert.ok(winner && loser, JSON.stringify(results));
    assert.is(loser.code, 4);
    assert.is(
      loser.stderr,
      `error LOCKED: another llm run (pid ${winner.pid}) is writing in this folder\nhint: wait for it to finish and run the command again; if no such process is running, delete .llm/tx/lock\n`,
    );
    assert.is(cli(["generate", "--check"], dir).status, 0, "the winner's run is complete");
  } finally {
    removeDir(dir);
  }
});

test("a real permission error mid-commit (a read-only folder holding one generated file): every file as before", async () => {
  const dir = workspaceWith("llm.config.ts", CONFIG_A);
  // Root ignores file permissions: the run goes as `nobody`, as a user's would.
  const uid = process.getuid?.() === 0 ? 65534 : undefined;
  try {
    assert.is(cli(["generate", "--quiet"], dir).status, 0);
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG_B);
    mkdirSync(path.join(dir, ".llm", "tx"));
    if (uid !== undefined) {
      chownSync(dir, uid, uid);
      for (const entry of readdirSync(dir, { recursive: true }) as string[]) chownSync(path.join(dir, entry), uid, uid);
    }
    // The manifest's folder is read-only; its run-state subfolder and the output folder are not.
    chmodSync(path.join(dir, ".llm"), 0o555);
    const before = snapshot(dir);
    const run = cli(["generate"], dir, {}, uid);
    assert.is(run.status, 3, run.stderr + run.stdout);
    assert.match(
      run.stderr,
      /^error WRITE_FAILED: could not write the generated files: EACCES: permission denied, rename '\.llm\/tx\/\d+\.new' -> '\.llm\/manifest\.json'; nothing was changed\n/,
    );
    assert.equal(snapshot(dir), before, "every file as before: bytes, modes and mtimes");
    assert.equal(readdirSync(path.join(dir, ".llm", "tx")), [], "no staged file, backup or lock left");
    // The manifest is renamed into place last, so the other files had been replaced already: old again.
    assert.ok(read(dir, "docker-compose.yml").includes("llama3.2:3b"));
    chmodSync(path.join(dir, ".llm"), 0o755);
    const retry = cli(["generate", "--quiet"], dir, {}, uid);
    assert.is(retry.status, 0, retry.stderr);
    assert.ok(read(dir, "docker-compose.yml").includes("qwen2.5:7b"));
    assert.is(statSync(path.join(dir, "secrets.env")).mode & 0o777, 0o600);
  } finally {
    chmodSync(path.join(dir, ".llm"), 0o755);
    removeDir(dir);
  }
});

test.run();
