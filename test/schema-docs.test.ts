// The schema is the editor's documentation: every key says what it is, carries the default the
// built-in defaults give it, and a patterned value explains itself in the diagnostics' words.
import { readFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers/paths.js";

const test = suite("schema as documentation: descriptions, defaults from presets/defaults.json, expected values");

type Node = Record<string, unknown> & { properties?: Record<string, Node>; $ref?: string; description?: string };

const schemaFile = path.join(ROOT, "schemas", "llm.config.schema.json");
const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as Node & { definitions: Record<string, Node> };
const definition = (ref: string) => schema.definitions[ref.replace("#/definitions/", "")]!;

/** Every property node with its path ("ollama.memory", "#customEndpoint.apiKey" in a definition). */
function properties(node: unknown, at: string, out: [string, Node][] = []): [string, Node][] {
  if (Array.isArray(node)) {
    for (const item of node) properties(item, at, out);
    return out;
  }
  if (!node || typeof node !== "object") return out;
  const n = node as Node;
  for (const [key, child] of Object.entries(n.properties ?? {})) {
    const here = at ? `${at}.${key}` : key;
    out.push([here, child]);
    properties(child, here, out);
  }
  for (const key of ["items", "additionalProperties", "oneOf", "anyOf", "allOf"]) if (key in n) properties(n[key], at ? `${at}[]` : "[]", out);
  return out;
}

async function builtInDefaults(): Promise<Record<string, unknown>> {
  const { presetsWithCatalog } = (await import(path.join(ROOT, "scripts", "artefacts.mjs"))) as {
    presetsWithCatalog: (root: string) => Promise<{ defaults: Record<string, unknown> }>;
  };
  return (await presetsWithCatalog(ROOT)).defaults;
}

test("every key has a description (its own, or its definition's)", () => {
  const all = [...properties(schema, ""), ...Object.entries(schema.definitions).flatMap(([name, node]) => properties(node, `#${name}`))];
  assert.ok(all.length > 140, `${all.length} keys`);
  const undescribed = all
    .filter(([, node]) => !(typeof node.description === "string" && node.description.length > 0) && !(node.$ref && definition(node.$ref).description))
    .map(([at]) => at);
  assert.equal(undescribed, []);
});

test("every value the built-in defaults set is the key's `default`, at that key (presets/defaults.json and the catalog's pins)", async () => {
  const defaults = await builtInDefaults();
  const mismatches: string[] = [];
  let checked = 0;
  const walk = (node: Node, values: Record<string, unknown>, at: string) => {
    for (const [key, value] of Object.entries(values)) {
      if (key === "$schema" || key === "description") continue;
      const property = node.properties?.[key];
      const here = at ? `${at}.${key}` : key;
      if (!property) {
        mismatches.push(`${here}: not in the schema`);
        continue;
      }
      if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0 && property.properties) {
        walk(property, value as Record<string, unknown>, here);
        continue;
      }
      checked++;
      if (JSON.stringify(property["default"]) !== JSON.stringify(value))
        mismatches.push(`${here}: default ${JSON.stringify(property["default"])}, the defaults set ${JSON.stringify(value)}`);
    }
  };
  walk(schema, defaults, "");
  assert.ok(checked > 60, `${checked} defaults checked`);
  assert.equal(mismatches, [], "run npm run build: it writes the defaults into the schema");
  const ollama = schema.properties!["ollama"]!.properties!;
  assert.is(ollama["numParallel"]!["default"], 2);
  assert.match(String(ollama["image"]!["default"]), /^ollama\/ollama:\d/, "the catalog's pin");
});

test("no default where the defaults set nothing, and none on a shared definition", async () => {
  const defaults = await builtInDefaults();
  const setByDefaults = (at: string) =>
    at.split(".").reduce<unknown>((value, key) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), defaults) !==
    undefined;
  const stray = properties(schema, "")
    .filter(([at, node]) => "default" in node && !at.includes("[]") && !setByDefaults(at))
    .map(([at]) => at);
  assert.equal(stray, []);
  for (const [name, node] of Object.entries(schema.definitions)) assert.not.ok("default" in node, `definitions.${name} has no default: it serves many keys`);
});

test("the schema on disk is what the build makes of it (no drift), and x-expected reaches editors as patternErrorMessage", async () => {
  const { annotatedSchema } = (await import(path.join(ROOT, "scripts", "artefacts.mjs"))) as {
    annotatedSchema: (schema: unknown, defaults: unknown) => unknown;
  };
  const defaults = await builtInDefaults();
  assert.is(readFileSync(schemaFile, "utf8"), `${JSON.stringify(annotatedSchema(schema, defaults), null, 2)}\n`);
  const explained: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (typeof n["x-expected"] === "string") {
      assert.is(n["patternErrorMessage"], `Expected ${n["x-expected"]}.`);
      explained.push(n["x-expected"]);
    }
    for (const value of Object.values(n)) walk(value);
  };
  walk(schema);
  assert.ok(explained.length >= 20, `${explained.length} explained`);
});

test.run();
