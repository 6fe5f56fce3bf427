// The output-hygiene rules every generated file keeps: same bytes for the same config, LF only,
// one trailing newline, no absolute path of this machine.
import * as assert from "uvu/assert";
import { generate } from "../../src/index.js";
import type { FilePlan } from "../../src/outputs/types.js";

/** Generates `config` twice and checks the hygiene rules; returns the files for further checks. */
export function assertDeterministicFiles(config: unknown): FilePlan[] {
  const first = generate(config);
  const second = generate(structuredClone(config));
  assert.ok(first.ok && second.ok);
  if (!first.ok || !second.ok) return [];
  assert.equal(first.value.files, second.value.files);
  for (const file of first.value.files) {
    assert.not.ok(file.contents.includes(process.cwd()), file.path);
    assert.not.ok(file.contents.includes("\r"), file.path);
    assert.ok(file.contents.endsWith("\n") && !file.contents.endsWith("\n\n"), file.path);
  }
  return first.value.files;
}
