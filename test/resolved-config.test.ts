// The resolved config's type says every value the defaults set is present; resolution checks it,
// so the stack builder reads values without asking whether they are there.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { resolveConfig } from "../src/config/resolve.js";
import { presetNames } from "../src/config/presets.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { loadConfig } from "../src/config/load.js";

const test = suite("resolved config: every default is present, by type and by check");

const schema = JSON.parse(readFileSync(path.join(ROOT, "schemas", "llm.config.schema.json"), "utf8"));
const defaults = JSON.parse(readFileSync(path.join(ROOT, "presets", "defaults.json"), "utf8"));

async function resolvedValidator() {
  const { resolvedSchema } = (await import(path.join(ROOT, "scripts", "artefacts.mjs"))) as {
    resolvedSchema: (s: unknown, d: unknown) => Record<string, unknown>;
  };
  const resolved = resolvedSchema(schema, defaults);
  delete resolved["$schema"];
  delete resolved["$id"];
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addKeyword({ keyword: "x-expected" });
  return ajv.compile(resolved);
}

test("the resolved schema requires what the defaults set, and the defaults satisfy it", async () => {
  const validate = await resolvedValidator();
  const { $schema: _s, description: _d, ...values } = defaults;
  assert.ok(validate({ ...values, presets: [] }), JSON.stringify(validate.errors));
  // Something the defaults set is now required: without it, the resolved schema refuses.
  const { ollama, ...withoutOllama } = values;
  assert.not.ok(validate({ ...withoutOllama, presets: [] }));
  const { memory: _m, ...ollamaWithoutMemory } = ollama;
  assert.not.ok(validate({ ...values, ollama: ollamaWithoutMemory, presets: [] }));
  // What no default sets stays optional.
  assert.not.ok(Object.hasOwn(defaults.security, "domain"));
});

test("every preset combination and every example resolves to a config the resolved schema accepts", async () => {
  const validate = await resolvedValidator();
  const configs: unknown[] = presetNames().map((name) => ({ presets: name === "low-ram" ? ["cpu", name] : [name] }));
  for (const example of [...readdirSync(EXAMPLES).map((name) => path.join(EXAMPLES, name)), ROOT]) {
    const loaded = await loadConfig(example);
    assert.ok(loaded.ok, example);
    if (loaded.ok) configs.push(loaded.value.data);
  }
  for (const data of configs) {
    const resolved = resolveConfig({ file: "llm.config.ts", data: data as Record<string, unknown> });
    assert.ok(resolved.ok, resolved.ok ? "" : JSON.stringify(resolved.error.diagnostics));
    if (resolved.ok) assert.ok(validate(resolved.value.config), JSON.stringify(validate.errors));
  }
});

test("null on a value only the defaults set is a named error, not a crash", () => {
  for (const data of [{ ollama: { memory: null } }, { librechat: { title: null } }, { monitoring: { prometheus: null } }, { name: null }]) {
    const resolved = resolveConfig({ file: "llm.config.ts", data });
    assert.not.ok(resolved.ok, JSON.stringify(data));
    if (resolved.ok) continue;
    assert.is(resolved.error.code, "CONFIG_INVALID");
    assert.ok(
      resolved.error.diagnostics.some(
        (d) => d.file === "llm.config.ts" && /null in llm\.config\.ts deletes a value only the defaults set/.test(d.message) && d.hint?.includes("give"),
      ),
      JSON.stringify(resolved.error.diagnostics),
    );
  }
  // --set is blamed when the null came from there.
  const viaSet = resolveConfig({ file: "llm.config.ts", data: {} }, { overrides: { ollama: { keepAlive: null } } });
  assert.not.ok(viaSet.ok);
  if (!viaSet.ok)
    assert.equal(
      viaSet.error.diagnostics.map((d) => [d.file, d.path]),
      [["--set", "ollama.keepAlive"]],
    );
  if (!viaSet.ok)
    assert.match(viaSet.error.diagnostics[0]!.message, /^--set ollama\.keepAlive=null deletes a value only the defaults set \(the built-in default is "/);
  // null deletes the value whatever layer set it, the defaults' included...
  assert.not.ok(resolveConfig({ file: "llm.config.ts", data: { presets: ["nvidia"], ollama: { memory: null } } }).ok);
  // ...and is fine where the defaults set nothing.
  assert.ok(resolveConfig({ file: "llm.config.ts", data: { presets: ["nvidia"], ollama: { gpu: { count: null } } } }).ok);
});

test("the stack and module code has no need(): it reads the resolved type", () => {
  const files = ["src/stack", "src/modules"].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(ROOT, dir, f)),
  );
  assert.ok(files.length > 10);
  for (const file of files) assert.not.match(readFileSync(file, "utf8"), /\bneed\(/, file);
});

test.run();
