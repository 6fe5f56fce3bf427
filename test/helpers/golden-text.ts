// Golden text for human output: the whole text a person sees, compared byte for byte with
// test/golden-cli/<name>.txt. A missing golden file fails (UPDATE_GOLDEN=1 writes it: review it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as assert from "uvu/assert";
import { UPDATE } from "./golden.js";
import { ROOT } from "./paths.js";

const GOLDEN_CLI = path.join(ROOT, "test", "golden-cli");

export function assertGoldenText(name: string, actual: string): void {
  const file = path.join(GOLDEN_CLI, `${name}.txt`);
  if (UPDATE) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.ok(existsSync(file), `missing golden file test/golden-cli/${name}.txt (run with UPDATE_GOLDEN=1 to write it, then review it)`);
  assert.fixture(actual, readFileSync(file, "utf8"), `test/golden-cli/${name}.txt`);
}
