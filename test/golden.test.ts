import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UPDATE, goldenProblems, isGolden, updateGolden } from "./helpers/golden.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { copyExample, listFiles, removeDir, runCli, tempDir } from "./helpers/workspace.js";

const test = suite("golden files: every example regenerates byte for byte");

const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

test("there are examples for minimal cpu, nvidia, low-ram, amd and each optional module", () => {
  for (const name of ["minimal-cpu", "nvidia-workstation", "low-ram-laptop", "amd-rocm", "monitoring", "security", "scaling", "all-modules"])
    assert.ok(examples.includes(name), name);
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
    // The repo's .gitignore holds the managed block among its own lines.
    writeFileSync(path.join(work, ".gitignore"), readFileSync(path.join(ROOT, ".gitignore")));
    const run = await runCli(["generate", "--quiet"], work);
    assert.is(run.code, 0, run.stderr);
    const files = listFiles(work).filter(isGolden);
    for (const file of ["docker-compose.yml", ".env", "librechat.yaml", ".gitignore", "prometheus/prometheus.yml", "traefik/dynamic.yml", "nginx/nginx.conf"]) {
      assert.ok(files.includes(file), `${file} is generated for the repo's config`);
    }
    for (const file of files) {
      if (UPDATE) {
        mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
        writeFileSync(path.join(ROOT, file), readFileSync(path.join(work, file)));
      }
      assert.ok(existsSync(path.join(ROOT, file)), `${file} is committed at the repo root (run with UPDATE_GOLDEN=1)`);
      assert.fixture(readFileSync(path.join(work, file), "utf8"), readFileSync(path.join(ROOT, file), "utf8"), file);
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
    assert.equal(goldenProblems(work, fakeGolden), [
      ".env differs from its golden copy",
      "missing golden file docker-compose.yml (run with UPDATE_GOLDEN=1 to write it)",
    ]);
  } finally {
    removeDir(work);
    removeDir(fakeGolden);
  }
});

test.run();
