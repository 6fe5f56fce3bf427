// User strings must come out exact: in .env as Compose's dotenv parser reads it, in YAML as any
// YAML parser reads it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { envValue, toYaml, yamlScalar } from "../src/render/format.js";
import { parseSecrets } from "../src/secrets/store.js";

const test = suite("formatting helpers keep user strings exact");

/**
 * How Compose (compose-go's dotenv parser) reads one value: single quotes are literal; double quotes
 * expand \n and \r, drop the backslash of other escapes except before `$`, then interpolate with
 * `$$` as a literal dollar; unquoted values end at `#` and are interpolated.
 */
function composeDotenvValue(raw: string): string {
  const interpolate = (value: string) => {
    if (/\$(?!\$)/.test(value.replace(/\$\$/g, ""))) throw new Error(`would interpolate: ${value}`);
    return value.replace(/\$\$/g, "$");
  };
  if (raw.startsWith("'")) {
    assert.ok(raw.endsWith("'") && !raw.slice(1, -1).includes("'"), `bad single quoting: ${raw}`);
    return raw.slice(1, -1);
  }
  if (raw.startsWith('"')) {
    const inner = raw.slice(1, -1);
    let out = "";
    for (let i = 0; i < inner.length; i++) {
      const c = inner[i]!;
      if (c === '"') throw new Error(`unescaped quote in ${raw}`);
      if (c !== "\\") {
        out += c;
        continue;
      }
      const next = inner[++i];
      out += next === "n" ? "\n" : next === "r" ? "\r" : next === "$" ? "\\$" : next;
    }
    return interpolate(out);
  }
  assert.not.ok(raw.includes("#") || /\s/.test(raw), `unquoted value needs quotes: ${raw}`);
  return interpolate(raw);
}

/**
 * How Compose reads a whole `KEY=...` line's value, comments included (compose-go's
 * extractVarValue): unquoted, the value ends at the first " #" and loses trailing blanks;
 * quoted, it ends at the closing quote and a comment may follow.
 */
function composeDotenvLine(afterEquals: string): string {
  const raw = afterEquals.replace(/^[ \t]+/, "");
  if (raw.startsWith("'") || raw.startsWith('"')) {
    // The closing quote is the first one not escaped; a backslash escapes the character after it.
    let close = 1;
    while (close < raw.length && raw[close] !== raw[0]) close += raw[close] === "\\" ? 2 : 1;
    assert.ok(close > 0 && /^[ \t]*(#.*)?$/.test(raw.slice(close + 1)), `after the quote: ${raw}`);
    return composeDotenvValue(raw.slice(0, close + 1));
  }
  const cut = raw.indexOf(" #");
  return (cut >= 0 ? raw.slice(0, cut) : raw).replace(/\s+$/, "").replace(/\$\$/g, "$");
}

const tricky = [
  "plain",
  "",
  "with space",
  "Costs $5/month",
  "$HOME and ${PATH} and $$",
  "# not a comment",
  "value # comment?",
  "it's",
  'say "hi"',
  "both ' and \" quotes",
  "line one\nline two",
  "ends with backslash\\",
  "back\\slash\\n literal",
  "colon: yes",
  "tab\there",
  "unicode ✓ ünï",
  "'starts and ends with quotes'",
];

test("envValue round-trips through Compose's dotenv rules", () => {
  for (const value of tricky) assert.is(composeDotenvValue(envValue(value)), value, JSON.stringify(value));
});

test("secrets.env is read as this model of Compose reads it: values, quotes and trailing comments", () => {
  const lines = [
    ...tricky.map((value) => envValue(value)),
    ...tricky.map((value) => `${envValue(value)} # a note`),
    "abc # a comment",
    "abc#not-a-comment",
    "   spaced out   ",
    "'quoted' # and commented",
    '"double"   #comment',
    "trailing\t",
    "a$$b",
  ];
  for (const afterEquals of lines) {
    assert.is(parseSecrets(`OWN_KEY=${afterEquals}\n`).get("OWN_KEY")?.value, composeDotenvLine(afterEquals), JSON.stringify(afterEquals));
  }
});

test("envValue never emits a newline or a bare $", () => {
  for (const value of tricky) {
    const out = envValue(value);
    assert.not.ok(out.includes("\n"), out);
    if (!out.startsWith("'")) assert.not.ok(/(^|[^$])\$([^$]|$)/.test(out.replace(/\$\$/g, "")), out);
  }
});

test("yamlScalar and toYaml parse back to the same value", () => {
  for (const value of [...tricky, "yes", "no", "on", "off", "1.3", "0x10", "3080:3080", "~", "null", "- item", "@at", "`tick`", "{a: 1}"]) {
    assert.equal(parse(`key: ${yamlScalar(value)}\n`), { key: value }, JSON.stringify(value));
    assert.equal(parse(toYaml({ nested: { list: [value] } })), { nested: { list: [value] } });
  }
});

test("YAML 1.1 look-alikes are quoted for PyYAML-based tools", () => {
  for (const value of ["yes", "no", "on", "off", "y", "n"]) assert.match(yamlScalar(value), /^["']/);
});

test("toYaml indents every line of a sub-tree and adds no trailing newline", () => {
  assert.is(toYaml({ a: { b: [1, "x"] } }, 4), "    a:\n      b:\n        - 1\n        - x");
});

test.run();
