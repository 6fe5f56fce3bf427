// A property over invalid configs: a valid all-modules config is mutated in ways that each make it
// invalid (an unknown key anywhere, a value of the wrong type, a number out of every range, a
// broken model name or preset, thousands of levels of nesting, a huge key, a null on a value the
// stack needs, a function or Date or throw from code), with values from plain to hostile, and
// handed over as JSON, YAML, TypeScript or --set. For every case: exit non-zero with one named
// `error CODE:` line first, no stack trace, no "undefined", no line over 1,000 characters, and
// every file on disk byte for byte as it was. Seeded: FUZZ_SEED and FUZZ_RUNS reproduce or widen
// a run.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { dump } from "js-yaml";
import { removeDir, runCli, snapshot, tempDir } from "./helpers/workspace.js";

const test = suite("config fuzz: every invalid config is a named error that changes nothing");

const SEED = Number(process.env["FUZZ_SEED"] ?? 20261217);
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 600);

const BASE = {
  name: "fuzzed-stack",
  presets: ["cpu", "low-ram"],
  models: ["llama3.2:3b", "nomic-embed-text", "qwen2.5:0.5b"],
  bindAddress: "127.0.0.1",
  ollama: { memory: "8g", cpus: 4, port: 11434, keepAlive: "5m", contextLength: 4096, env: { OLLAMA_DEBUG: "1" } },
  librechat: {
    port: 3080,
    title: "Fuzzed",
    registration: false,
    env: { DEBUG_LOGGING: "false" },
    endpoints: [
      { name: "groq", baseURL: "https://api.groq.com/openai/v1", apiKey: "${GROQ_API_KEY}", models: { default: ["llama-3.1-8b-instant"], fetch: false } },
    ],
  },
  mongodb: { memory: "1g", cacheSizeGB: 0.5 },
  meilisearch: { memory: "1g" },
  monitoring: { enabled: true, scrapeInterval: "15s", retention: "15d", grafana: { port: 3000 } },
  security: { enabled: true, domain: "chat.example.com", email: "ops@example.com", rateLimit: { average: 100, burst: 200 } },
  scaling: { enabled: true, librechatReplicas: 2, clientMaxBodySize: "100m" },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every path in BASE, with the value there. */
function pathsOf(value: Json, at: Path = [], out: [Path, Json][] = []): [Path, Json][] {
  if (at.length > 0) out.push([at, value]);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...at, i], out));
  else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) pathsOf(item, [...at, key], out);
  return out;
}
const ALL_PATHS = pathsOf(BASE as unknown as Json);
const MAPS = [[], ...ALL_PATHS.filter(([, v]) => v !== null && typeof v === "object" && !Array.isArray(v)).map(([p]) => p)] as Path[];
const kind = (v: Json) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Sets `value` at `at`, making the containers on the way when an earlier mutation replaced them. */
function setAt(root: Json, at: Path, value: Json): void {
  let target = root as Record<string | number, Json>;
  at.forEach((segment, i) => {
    if (i === at.length - 1) {
      target[segment] = value;
      return;
    }
    const next = target[segment];
    if (next === null || typeof next !== "object") target[segment] = typeof at[i + 1] === "number" ? [] : {};
    target = target[segment] as Record<string | number, Json>;
  });
}

/** Text that is never the word "undefined" (the property checks that word is never printed). */
const text = (max: number) => fc.string({ unit: "grapheme", maxLength: max }).filter((s) => !/undefined/i.test(s));
/** Values from plain to hostile: long strings, unicode, deep nesting, big and odd numbers. */
const hostile: fc.Arbitrary<Json> = fc.oneof(
  text(20),
  text(5).map((s) => s.repeat(2000)),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(1e308, -0, 2 ** 53 + 1),
  fc.integer({ min: 1, max: 300 }).map((depth) => {
    let deep: Json = "bottom";
    for (let i = 0; i < depth; i++) deep = i % 2 ? [deep] : { d: deep };
    return deep;
  }),
  fc.array(text(10), { maxLength: 5 }),
  fc.dictionary(text(8), text(8), { maxKeys: 4 }),
);

interface Mutation {
  describe: string;
  apply: (config: Json) => void;
  /** Also expressible as `--set path=value` (plain key segments only). */
  set?: string;
  /** Only a TypeScript config can hold it. */
  codeOnly?: boolean;
  /** Too deep for js-yaml's dump (and its parser stops at 100 levels anyway). */
  noYaml?: boolean;
}

const plainPath = (at: Path) => at.every((segment) => typeof segment === "string" && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment));

/** An unknown key in any map: never a valid env variable name either (it holds a "-"). */
const unknownKey: fc.Arbitrary<Mutation> = fc.record({ at: fc.constantFrom(...MAPS), key: text(30), value: hostile }).map(({ at, key, value }) => {
  const name = `x-${key}`;
  return { describe: `unknown key ${JSON.stringify(name)} at ${at.join(".")}`, apply: (config) => setAt(config, [...at, name], value) };
});

/** A value of another type at a known path (null excluded: it deletes, which may be valid). */
const wrongType: fc.Arbitrary<Mutation> = fc
  .record({ entry: fc.constantFrom(...ALL_PATHS), value: hostile })
  .filter(({ entry: [, was], value }) => kind(value) !== kind(was) && !(kind(was) === "number" && kind(value) === "number"))
  .map(({ entry: [at], value }) => ({
    describe: `${kind(value)} at ${at.join(".")}`,
    apply: (config) => setAt(config, at, value),
    ...(plainPath(at) ? { set: `${at.join(".")}=${JSON.stringify(value)}` } : {}),
  }));

/** Every number in the schema has a lower bound of 0 or more. */
const outOfRange: fc.Arbitrary<Mutation> = fc
  .record({ at: fc.constantFrom(...ALL_PATHS.filter(([, v]) => typeof v === "number").map(([p]) => p)), value: fc.constantFrom(-1, -1e12, -Number.MAX_VALUE) })
  .map(({ at, value }) => ({
    describe: `${value} at ${at.join(".")}`,
    apply: (config) => setAt(config, at, value),
    ...(plainPath(at) ? { set: `${at.join(".")}=${value}` } : {}),
  }));

const badModel: fc.Arbitrary<Mutation> = fc
  .record({
    index: fc.integer({ min: 0, max: 2 }),
    name: fc.oneof(
      fc.constant(""),
      text(10).map((s) => `${s} !`),
      fc.constant("llama3.2:3b"),
    ),
  })
  .map(({ index, name }) => ({
    describe: `models[${index}] = ${JSON.stringify(name)}`,
    apply: (config) => setAt(config, ["models", index === 0 && name === "llama3.2:3b" ? 1 : index], name),
  }));

const badPreset: fc.Arbitrary<Mutation> = text(12)
  .filter((name) => !["cpu", "nvidia", "amd", "low-ram"].includes(name))
  .map((name) => ({
    describe: `preset ${JSON.stringify(name)}`,
    apply: (config) => setAt(config, ["presets", 1], name),
    set: `presets=${JSON.stringify(["cpu", name])}`,
  }));

/** Far deeper than any config: a stack overflow before values were bounded. */
const deepValue: fc.Arbitrary<Mutation> = fc.record({ at: fc.constantFrom(...MAPS), depth: fc.integer({ min: 1000, max: 6000 }) }).map(({ at, depth }) => ({
  describe: `${depth} levels deep at ${at.join(".")}.x-deep`,
  // Written as text: JSON.stringify itself overflows the stack a few thousand levels down.
  apply: (config) => setAt(config, [...at, "x-deep"], { [RAW]: `${"[".repeat(depth)}1${"]".repeat(depth)}` }),
  noYaml: true,
}));

/** A key of tens of thousands of characters: echoed whole before. */
const longKey: fc.Arbitrary<Mutation> = fc.record({ at: fc.constantFrom(...MAPS), length: fc.integer({ min: 1000, max: 100_000 }) }).map(({ at, length }) => ({
  describe: `a ${length}-character key at ${at.join(".")}`,
  apply: (config) => setAt(config, [...at, `x-${"k".repeat(length)}`], 1),
}));

/** Values the stack cannot do without, deleted: a crash with a stack trace before. */
const NEEDED = [
  "name",
  "bindAddress",
  "ollama.image",
  "ollama.port",
  "ollama.keepAlive",
  "ollama.contextLength",
  "librechat.image",
  "librechat.port",
  "mongodb.image",
  "meilisearch.image",
  "monitoring.prometheus.image",
  "monitoring.grafana",
  "security.traefik",
  "security.rateLimit",
  "scaling.nginx",
  "scaling.redis.image",
];
const nullNeeded: fc.Arbitrary<Mutation> = fc
  .constantFrom(...NEEDED)
  .map((dotted) => ({ describe: `${dotted}: null`, apply: (config) => setAt(config, dotted.split("."), null), set: `${dotted}=null` }));

/** What only code can hand over (TypeScript configs): functions, Dates, Maps, BigInts, throws. */
const EXPRESSIONS = [
  "new Date(0)",
  "() => 1",
  'Symbol("s")',
  "10n",
  "new Map([[1, 2]])",
  "new Set()",
  "NaN",
  "Infinity",
  '(() => { throw "boom"; })()',
  "(() => { throw null; })()",
  "Object.create({ inherited: 1 })",
  "new Proxy({}, { ownKeys() { throw new Error('trap'); } })",
];
/** `{ [RAW]: "text" }` stands for `text` as it is written in the file (an expression, deep nesting). */
const RAW = "__llm_fuzz_raw__";
const codeValue: fc.Arbitrary<Mutation> = fc
  .record({ entry: fc.constantFrom(...ALL_PATHS.filter(([p]) => p.length > 0)), expression: fc.constantFrom(...EXPRESSIONS) })
  .map(({ entry: [at], expression }) => ({
    describe: `${expression} at ${at.join(".")}`,
    apply: (config) => setAt(config, at, { [RAW]: expression }),
    codeOnly: true,
  }));

const invalidMutation = fc.oneof(unknownKey, wrongType, outOfRange, badModel, badPreset, deepValue, longKey, nullNeeded, codeValue);

/** JSON with each RAW placeholder replaced by its text. */
const withRaw = (config: Json) =>
  JSON.stringify(config, null, 2).replace(
    new RegExp(`\\{\\s*"${RAW}": ("(?:[^"\\\\]|\\\\.)*")\\s*\\}`, "g"),
    (_, quoted: string) => JSON.parse(quoted) as string,
  );
const typescript = (config: Json) => `export default ${withRaw(config)};\n`;

type Format = "json" | "yaml" | "ts" | "set";

test(`${RUNS} invalid configs (seed ${SEED}): exit != 0, a named error, no stack trace, no "undefined", every file unchanged`, async () => {
  const dir = tempDir("llm-fuzz-");
  try {
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify(BASE, null, 2));
    const first = await runCli(["generate", "--quiet"], dir);
    assert.is(first.code, 0, first.stderr);
    const files = () => {
      const snap = snapshot(dir);
      for (const name of ["llm.config.json", "llm.config.yaml", "llm.config.ts"]) snap.delete(name);
      return snap;
    };
    const before = files();
    const codes = new Map<string, number>();
    let current = "llm.config.json";

    await fc.assert(
      fc.asyncProperty(
        fc.array(invalidMutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom<Format>("json", "json", "yaml", "ts", "set"),
        async (mutations, chosen) => {
          const format: Format = mutations.some((m) => m.codeOnly) ? "ts" : chosen === "yaml" && mutations.some((m) => m.noYaml) ? "json" : chosen;
          const config = structuredClone(BASE) as unknown as Json;
          const sets = format === "set" && mutations.every((m) => m.set !== undefined) ? mutations.map((m) => m.set!) : undefined;
          if (!sets) for (const mutation of mutations) mutation.apply(config);
          const file = format === "yaml" ? "llm.config.yaml" : format === "ts" ? "llm.config.ts" : "llm.config.json";
          if (file !== current) removeConfig(dir, current);
          current = file;
          const written = sets ? BASE : config;
          writeFileSync(
            path.join(dir, file),
            format === "yaml" ? dump(written, { noRefs: true, lineWidth: -1 }) : format === "ts" ? typescript(written) : withRaw(written),
          );
          const run = await runCli(["generate", ...(sets ?? []).flatMap((set) => ["--set", set])], dir);
          const said = `${run.stdout}${run.stderr}`;
          const what = mutations.map((m) => m.describe).join("; ");
          assert.is.not(run.code, 0, `${format}: ${what}: accepted`);
          assert.match(run.stderr, /^error [A-Z][A-Z_]+: \S/, `${format}: ${what}: ${run.stderr.slice(0, 300)}`);
          assert.not.match(said, /\n\s+at .+:\d+:\d+\)?\n/, `${format}: ${what}: a stack trace`);
          assert.not.match(said, /undefined/, `${format}: ${what}: "undefined" in ${said.slice(0, 500)}`);
          assert.is(run.stdout, "", `${format}: ${what}`);
          const longest = Math.max(...run.stderr.split("\n").map((line) => line.length));
          assert.ok(longest < 1000, `${format}: ${what}: a line of ${longest} characters`);
          const code = /^error ([A-Z_]+):/.exec(run.stderr)?.[1] ?? "?";
          codes.set(code, (codes.get(code) ?? 0) + 1);
          assert.equal(files(), before, `${format}: ${what}: a file changed`);
        },
      ),
      {
        numRuns: RUNS,
        seed: SEED,
        endOnFailure: true,
        // The failing assertion first (fast-check's report puts it after a long counterexample),
        // then the report, whose seed and path replay the case: FUZZ_SEED=... and fc's `path`.
        reporter: (details) => {
          if (!details.failed) return;
          const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          throw new Error(`${error.slice(0, 1500)}\n${fc.defaultReportMessage(details)?.slice(0, 3000) ?? ""}`);
        },
      },
    );
    if (process.env["FUZZ_VERBOSE"]) console.log(JSON.stringify([...codes]));
    assert.ok(RUNS >= 500, "at least 500 cases");
    assert.is(
      [...codes.values()].reduce((a, b) => a + b, 0),
      RUNS,
      "every case ran",
    );
    assert.ok((codes.get("CONFIG_INVALID") ?? 0) > RUNS / 2, JSON.stringify([...codes]));
  } finally {
    removeDir(dir);
  }
});

function removeConfig(dir: string, file: string): void {
  try {
    removeDir(path.join(dir, file));
  } catch {
    // already gone
  }
}

test.run();
