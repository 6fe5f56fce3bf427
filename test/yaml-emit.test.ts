// Property test for the YAML writer: any tree of plain data, written and read back, is the same
// tree, for a YAML 1.2 reader (js-yaml, our parse-back check) and a YAML 1.1 reader (the `yaml`
// package in 1.1 mode, standing in for PyYAML-based docker-compose v1).
import fc from "fast-check";
import { load } from "js-yaml";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { emitScalar, emitYaml } from "../src/render/yaml-emit.js";

const test = suite("yaml-emit writes YAML every reader reads back exactly");

// Strings biased towards the hard cases: YAML indicators, numbers, booleans, colons, quotes.
const tricky = fc.constantFrom(
  "yes",
  "No",
  "on",
  "OFF",
  "y",
  "~",
  "null",
  "true",
  "1:30",
  "22:22",
  "0x1F",
  "0o17",
  "1_000",
  "1e3",
  ".5",
  "-1",
  "+1",
  ".inf",
  ".NaN",
  "2001-12-14",
  "3080:3080",
  "127.0.0.1:3080:3080",
  "- item",
  "? q",
  ": x",
  "a: b",
  "a #b",
  "#c",
  "&anchor",
  "*alias",
  "!tag",
  "|",
  ">",
  "%x",
  "@x",
  "`x`",
  "'q'",
  '"q"',
  "{a: 1}",
  "[1]",
  "foo:",
  "x\ny",
  "tab\t",
  "\u2028",
  "\u0085",
  "\u007f",
  " lead",
  "trail ",
  "",
  "$$@",
  "http://ollama:11434/v1",
  "./data:/x:ro",
);
const text = fc.oneof(tricky, fc.string(), fc.string({ unit: "grapheme" }), fc.stringMatching(/^[a-z0-9.:_/-]{1,12}$/));
const leaf = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const tree = fc
  .letrec((tie) => ({
    node: fc.oneof({ depthSize: "small" }, leaf, tie("list"), tie("map")),
    list: fc.array(tie("node"), { maxLength: 4 }),
    map: fc.dictionary(text, tie("node"), { maxKeys: 4 }),
  }))
  .map.map(plain);

/** fast-check builds maps without a prototype; readers build ordinary objects. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

test("round trip through js-yaml (1.2) and yaml (1.1)", () => {
  fc.assert(
    fc.property(tree, (value) => {
      const written = emitYaml(value);
      assert.equal(load(written), value, written);
      assert.equal(parse(written, { version: "1.1" }), value, written);
      return true;
    }),
    { numRuns: 3000, seed: 42 },
  );
});

test("scalars round-trip on one line after `key: `", () => {
  fc.assert(
    fc.property(leaf, (value) => {
      const line = `key: ${emitScalar(value)}`;
      assert.not.ok(line.includes("\n"));
      assert.equal(load(line), { key: value });
      assert.equal(parse(line, { version: "1.1" }), { key: value });
      return true;
    }),
    { numRuns: 2000, seed: 7 },
  );
});

test("indentation applies to every line", () => {
  assert.is(emitYaml({ a: { b: [1, "x", { c: [] }] } }, 4), "    a:\n      b:\n        - 1\n        - x\n        - c: []");
});

test.run();
