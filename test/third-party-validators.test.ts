// Every example's output checked by validators others wrote: the Compose specification's schema,
// Debian's docker-compose, and LibreChat's own config schema.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { EXAMPLES } from "./helpers/paths.js";
import { composeSchemaErrors, dockerComposeConfigErrors, librechatConfigErrors, withoutNewerComposeKeys } from "./helpers/validators.js";
import { copyExample, removeDir, runCli } from "./helpers/workspace.js";

const test = suite("third-party validators accept every example's output");
const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const generated = new Map<string, string>();

test.before(async () => {
  for (const name of examples) {
    const work = copyExample(path.join(EXAMPLES, name));
    const run = await runCli(["generate", "--quiet"], work);
    if (run.code !== 0) throw new Error(`${name}: ${run.stderr}`);
    generated.set(name, work);
  }
});

test.after(() => {
  for (const dir of generated.values()) removeDir(dir);
});

for (const name of examples) {
  test(`${name}: docker-compose.yml matches the compose-spec JSON Schema`, () => {
    const text = readFileSync(path.join(generated.get(name)!, "docker-compose.yml"), "utf8");
    assert.equal(composeSchemaErrors(text), []);
  });

  test(`${name}: docker-compose config -q accepts it (newer keys stripped in a copy)`, () => {
    assert.is(dockerComposeConfigErrors(generated.get(name)!), null);
  });

  test(`${name}: librechat.yaml passes librechat-data-provider's configSchema.strict()`, async () => {
    const text = readFileSync(path.join(generated.get(name)!, "librechat.yaml"), "utf8");
    assert.equal(await librechatConfigErrors(text), []);
    assert.type((parse(text) as { version: unknown }).version, "string");
  });
}

test("the validators are not blind: each rejects a broken file", async () => {
  const dir = generated.get("minimal-cpu")!;
  const compose = parse(readFileSync(path.join(dir, "docker-compose.yml"), "utf8")) as { services: Record<string, Record<string, unknown>> };
  compose.services["ollama"]!["depends_on"] = { nowhere: { condition: "service_healthy" } };
  compose.services["librechat"]!["restart"] = 42;
  assert.ok(composeSchemaErrors(JSON.stringify(compose)).length > 0, "compose schema must reject restart: 42");
  assert.ok(
    (await librechatConfigErrors("version: 1.3\nendpoints:\n  custom:\n    - name: Ollama\n      apikey: x\n")).length > 0,
    "LibreChat must reject a misspelt apiKey",
  );
});

test("only keys docker-compose 1.29 predates are stripped for it", () => {
  const text =
    'name: x\nservices:\n  a:\n    image: busybox:1\n    healthcheck:\n      test: [CMD, "true"]\n      start_interval: 2s\n      start_period: 5s\n';
  assert.equal(parse(withoutNewerComposeKeys(text)), { services: { a: { image: "busybox:1", healthcheck: { test: ["CMD", "true"], start_period: "5s" } } } });
});

test.run();
