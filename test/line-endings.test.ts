// A Windows checkout (git's core.autocrlf) turns every committed file's line endings into CRLF,
// and Windows has no POSIX modes: neither is a change, a hand edit or a reason to rewrite.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runGenerate } from "../src/app/generate.js";
import { nodeFs, type WriterFs } from "../src/io/fs.js";
import { listFiles, removeDir, runCli, seededRandom, snapshot, workspaceWith } from "./helpers/workspace.js";
import { ALL_MODULES_TS as ALL } from "./helpers/modules.js";

const test = suite("line endings and modes: a Windows checkout");

/** Every committed file (not secrets.env, not secrets/) rewritten with CRLF, as git on Windows checks it out. */
function checkOutOnWindows(dir: string): string[] {
  const converted: string[] = [];
  for (const file of listFiles(dir)) {
    if (file === "secrets.env" || file.startsWith(`secrets${path.sep}`) || file === "llm.config.ts") continue;
    const text = readFileSync(path.join(dir, file), "utf8");
    writeFileSync(path.join(dir, file), text.replace(/\n/g, "\r\n"));
    converted.push(file);
  }
  return converted;
}

test("CRLF line endings from a Windows checkout: --check passes, generate changes nothing and refuses nothing", async () => {
  const dir = workspaceWith("llm.config.ts", ALL);
  try {
    writeFileSync(path.join(dir, ".gitignore"), "node_modules/\n*.log\n");
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    const converted = checkOutOnWindows(dir);
    assert.ok(
      converted.includes("docker-compose.yml") && converted.includes(".gitignore") && converted.includes(path.join(".llm", "manifest.json")),
      converted.join(", "),
    );
    const before = snapshot(dir);
    // Before: --check listed every file as stale, and generate refused them all as hand edits.
    const check = await runCli(["generate", "--check"], dir);
    assert.is(check.code, 0, check.stdout);
    const diff = await runCli(["diff"], dir);
    assert.is(diff.code, 0, diff.stdout);
    const run = await runCli(["generate", "--json"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).written, []);
    assert.equal(snapshot(dir), before, "not one byte rewritten");
    // A real edit is still one.
    writeFileSync(
      path.join(dir, "docker-compose.yml"),
      readFileSync(path.join(dir, "docker-compose.yml"), "utf8").replace("restart: unless-stopped", "restart: always"),
    );
    assert.is((await runCli(["generate"], dir)).code, 4);
  } finally {
    removeDir(dir);
  }
});

test("where the platform has no POSIX modes, secret files are not rewritten on every run for a mode they cannot have", async () => {
  const dir = workspaceWith("llm.config.ts", ALL);
  try {
    // Windows reports 0666 (or 0444) for every file and ignores chmod.
    const windowsLike: WriterFs = {
      ...nodeFs,
      modes: false,
      mode: async (file) => ((await nodeFs.mode(file)) === null ? null : 0o666),
      readFile: async (file) => {
        const read = await nodeFs.readFile(file);
        return read && { ...read, mode: 0o666 };
      },
      entry: async (file) => {
        const entry = await nodeFs.entry(file);
        return entry && { ...entry, mode: entry.kind === "folder" ? 0o777 : 0o666 };
      },
    };
    const first = await runGenerate({ cwd: dir, fs: windowsLike, random: seededRandom() });
    assert.ok(first.ok && first.value.written.includes("secrets.env"));
    const second = await runGenerate({ cwd: dir, fs: windowsLike, random: seededRandom() });
    assert.ok(second.ok);
    // Before: secrets.env and every file under secrets/ were "updated" on every run.
    if (second.ok) {
      assert.equal(second.value.written, []);
      assert.equal(second.value.folderModes, [], "no folder mode to repair either");
    }
  } finally {
    removeDir(dir);
  }
});

test.run();
