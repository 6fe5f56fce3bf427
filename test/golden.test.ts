import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UPDATE, goldenProblems, updateGolden } from "./helpers/golden.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { copyExample, removeDir, runCli, tempDir } from "./helpers/workspace.js";

const test = suite("golden files: every example regenerates byte for byte");

const examples = readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

test("there are examples for minimal cpu, nvidia, low-ram and amd", () => {
  for (const name of ["minimal-cpu", "nvidia-workstation", "low-ram-laptop", "amd-rocm"]) assert.ok(examples.includes(name), name);
});

for (const name of examples) {
  test(`${name}: generated files equal examples/${name}/`, async () => {
    const golden = path.join(EXAMPLES, name);
    const work = copyExample(golden);
    try {
      const run = await runCli(["generate", "--quiet"], work);
      assert.is(run.code, 0, run.stderr);
      if (UPDATE) updateGolden(work, golden);
      assert.equal(goldenProblems(work, golden), []);
    } finally {
      removeDir(work);
    }
  });
}

test("the repo's own llm.config.ts generates its committed files", async () => {
  const work = tempDir();
  try {
    writeFileSync(path.join(work, "llm.config.ts"), readFileSync(path.join(ROOT, "llm.config.ts")));
    const run = await runCli(["generate", "--quiet"], work);
    assert.is(run.code, 0, run.stderr);
    const committed = path.join(ROOT, "examples", "..");
    for (const file of ["docker-compose.yml", ".env", "librechat.yaml"]) {
      if (UPDATE) writeFileSync(path.join(committed, file), readFileSync(path.join(work, file)));
      assert.fixture(readFileSync(path.join(work, file), "utf8"), readFileSync(path.join(committed, file), "utf8"), file);
    }
  } finally {
    removeDir(work);
  }
});

test("a missing or changed golden file is a failure, never a pass", async () => {
  const golden = path.join(EXAMPLES, "minimal-cpu");
  const work = copyExample(golden);
  const fakeGolden = tempDir();
  try {
    await runCli(["generate", "--quiet"], work);
    updateGolden(work, fakeGolden);
    assert.equal(goldenProblems(work, fakeGolden), []);
    rmSync(path.join(fakeGolden, "docker-compose.yml"));
    writeFileSync(path.join(fakeGolden, ".env"), "changed\n");
    assert.equal(goldenProblems(work, fakeGolden), [".env differs from its golden copy", "missing golden file docker-compose.yml (run with UPDATE_GOLDEN=1 to write it)"]);
  } finally {
    removeDir(work);
    removeDir(fakeGolden);
  }
});

test.run();
