// A table of bad configs: each must produce exactly its diagnostic, exit 2, write nothing and
// touch nothing. The table lives in fixtures/invalid-configs.json (name, file, text, args, exit, stderr).
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { removeDir, runCli, snapshot, tempDir } from "./helpers/workspace.js";

interface Row {
  name: string;
  file: string | null;
  text: string | null;
  args: string[];
  exit: number;
  stderr: string;
}

const rows = JSON.parse(readFileSync(path.join(ROOT, "test", "fixtures", "invalid-configs.json"), "utf8")) as Row[];
const test = suite("invalid configs: exact diagnostics, exit 2, nothing on disk changes");

test("the table covers at least 25 invalid configs", () => {
  assert.ok(rows.length >= 25, String(rows.length));
  assert.ok(rows.every((row) => row.exit === 2));
});

/** A folder that already holds a generated stack, so "nothing changed" is a real claim. */
function previouslyGenerated(): string {
  const dir = tempDir("llm-invalid-");
  for (const file of ["docker-compose.yml", ".env", "librechat.yaml", ".gitignore"]) {
    cpSync(path.join(EXAMPLES, "minimal-cpu", file), path.join(dir, file));
  }
  writeFileSync(path.join(dir, "secrets.env"), "JWT_SECRET=kept\n", { mode: 0o600 });
  return dir;
}

for (const row of rows) {
  test(row.name, async () => {
    const dir = previouslyGenerated();
    try {
      if (row.file && row.text !== null) writeFileSync(path.join(dir, row.file), row.text);
      const before = snapshot(dir);
      const run = await runCli(["generate", ...row.args], dir);
      assert.is(run.code, row.exit);
      assert.fixture(run.stderr, row.stderr);
      assert.is(run.stdout, "");
      assert.equal(snapshot(dir), before);
    } finally {
      removeDir(dir);
    }
  });
}

test("--json reports the same diagnostics as data", async () => {
  const dir = previouslyGenerated();
  try {
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ ollama: { memry: "8g" }, presets: ["nvida"] }));
    const run = await runCli(["validate", "--json"], dir);
    assert.is(run.code, 2);
    const report = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; diagnostics: { file: string; path: string }[] } };
    assert.is(report.ok, false);
    assert.is(report.error.code, "CONFIG_INVALID");
    assert.equal(
      report.error.diagnostics.map((d) => `${d.file}:${d.path}`),
      ["llm.config.json:presets[0]", "llm.config.json:ollama.memry"],
    );
  } finally {
    removeDir(dir);
  }
});

test.run();
