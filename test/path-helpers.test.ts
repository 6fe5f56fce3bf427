// The writer joins a few hundred paths a run without path.join's re-normalizing (src/util/path.ts):
// for the paths it is given, the result must be path.join's, with POSIX and with Windows
// separators (path.posix and path.win32 stand in for the platforms).
import fc from "fast-check";
import nodePath from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { inside, isNormalRelative } from "../src/util/path.js";

const test = suite("path helpers: the same strings as path.join, for normalized relative paths");

const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((s) => s !== "." && s !== "..");
const relative = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join("/"));

test("inside(root, relative) is path.join(root, relative) for every normalized relative path", () => {
  fc.assert(
    fc.property(fc.constantFrom("/", "/work", "/tmp/a b/c", "/srv/stack/"), relative, (root, rel) => {
      assert.ok(isNormalRelative(rel));
      assert.is(inside(nodePath.posix.normalize(root), rel, "/"), nodePath.posix.join(root, rel));
    }),
    { numRuns: 500 },
  );
  // Windows: roots as path.resolve gives them there, the same relative names.
  fc.assert(
    fc.property(fc.constantFrom("C:\\", "C:\\work", "D:\\a b\\c", "\\\\server\\share\\stack"), relative, (root, rel) => {
      assert.is(inside(nodePath.win32.normalize(root), rel, "\\"), nodePath.win32.join(root, rel));
    }),
    { numRuns: 500 },
  );
});

test("what isNormalRelative lets through needs no normalizing; the rest is refused", () => {
  for (const bad of ["", "/etc/passwd", "a//b", "a/./b", "a/../b", "../a", "a/", ".", "..", "./a", "a\\..\\b", "C:/x", "a:stream"])
    assert.not.ok(isNormalRelative(bad), bad);
  for (const good of ["docker-compose.yml", ".llm/manifest.json", "grafana/provisioning/datasources/prometheus.yml", "a/.b/c..d"]) {
    assert.ok(isNormalRelative(good), good);
    assert.is(nodePath.posix.normalize(good), good);
  }
});

test.run();
