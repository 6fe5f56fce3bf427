import { suite } from "uvu";
import * as assert from "uvu/assert";
import { syntaxProblems } from "../src/outputs/check.js";
import type { OutputSyntax } from "../src/render/engine.js";

const test = suite("parse-back check catches broken output before it is written");
const bySyntax = (syntax: OutputSyntax) => ({ path: `file.${syntax}`, syntax });

test("YAML: duplicate keys, bad indentation and unclosed flow collections are caught", () => {
  const yaml = bySyntax("yaml");
  assert.equal(syntaxProblems(yaml, "services:\n  a:\n    image: x:1\n"), []);
  for (const broken of ["a: 1\na: 2\n", "services:\n  a:\n   image: x\n  - b\n", "key: [unclosed\n"]) {
    assert.ok(syntaxProblems(yaml, broken).length > 0, broken);
  }
});

test("env: a line that is not KEY=VALUE is caught", () => {
  const env = bySyntax("env");
  assert.equal(syntaxProblems(env, "# c\nA=1\nB='x y'\n"), []);
  assert.equal(syntaxProblems(env, "A=1\nnot a line\nB=x y\n"), ["line 2 is not KEY=VALUE", "line 3 is not KEY=VALUE"]);
});

test("JSON: invalid JSON is caught", () => {
  const json = bySyntax("json");
  assert.equal(syntaxProblems(json, '{"a": 1}'), []);
  assert.ok(syntaxProblems(json, '{"a": 1,}').length > 0);
});

test.run();
