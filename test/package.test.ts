// The package as npm publishes it (`npm pack`), installed in a fresh project: the JSON Schema is
// exported and referenced by `llm init --format json|yaml`, and defineConfig's types check keys.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { Ajv } from "ajv";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { ROOT } from "./helpers/paths.js";
import { removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("package: published files, $schema for editors, defineConfig types");

let project = "";
let installed = "";

test.before(() => {
  project = tempDir("llm-consumer-");
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  )[0];
  installed = path.join(project, "node_modules", "local-llm-stack");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["xzf", path.join(project, packed.filename), "-C", installed, "--strip-components=1"]);
  // The package's own dependencies, as npm would install them beside it.
  const deps = Object.keys(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies);
  for (const dep of deps) {
    const target = path.join(project, "node_modules", dep);
    mkdirSync(path.dirname(target), { recursive: true });
    symlinkSync(path.join(ROOT, "node_modules", dep), target);
  }
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
});
test.after(() => removeDir(project));

const llm = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(installed, "dist", "llm.cjs"), ...args], { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

test("the tarball holds the CLI, the API, its declarations and the schema, not the sources", () => {
  for (const file of [
    "dist/llm.cjs",
    "dist/core.cjs",
    "dist/define-config.js",
    "dist/index.js",
    "dist/index.d.ts",
    "schemas/llm.config.schema.json",
    "presets/nvidia.json",
  ]) {
    assert.ok(existsSync(path.join(installed, file)), file);
  }
  assert.not.ok(existsSync(path.join(installed, "src")));
});

test("one declaration file, the public API's: no internal module's .d.ts, no import of another package", () => {
  const declarations = execFileSync("find", [installed, "-name", "*.d.*ts"], { encoding: "utf8" }).trim().split("\n");
  assert.equal(
    declarations.map((file) => path.relative(installed, file)),
    ["dist/index.d.ts"],
  );
  const text = readFileSync(path.join(installed, "dist", "index.d.ts"), "utf8");
  assert.not.match(text, /^\s*import\b|\bfrom\s+["']|import\(["']/m, "self-contained: a consumer needs no devDependency's types");
  for (const name of ["defineConfig", "loadConfig", "resolveConfig", "validate", "generate", "LlmError", "LlmConfig", "Stack"])
    assert.match(text, new RegExp(`\\b${name}\\b`), name);
});

test("the tarball carries the license of every package its bundles carry, as the package ships it", () => {
  const notices = readFileSync(path.join(installed, "dist", "THIRD-PARTY-NOTICES.txt"), "utf8");
  const sections = new Map(
    notices
      .split(/^={78}\n/m)
      .slice(1)
      .map((section) => [section.slice(0, section.indexOf(" ")), section] as const),
  );
  // Code in dist/core.cjs or dist/index.js: the ajv runtime, the YAML parser, templates, secrets, hashes.
  for (const name of ["ajv", "bcryptjs", "handlebars", "js-yaml", "nanoid"]) {
    const section = sections.get(name);
    assert.ok(section, `${name} is listed`);
    const { version, license } = JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as {
      version: string;
      license: string;
    };
    assert.ok(section!.startsWith(`${name} ${version} (${license})\n`), section!.split("\n")[0]);
    assert.ok(section!.includes(readFileSync(path.join(ROOT, "node_modules", name, "LICENSE"), "utf8").trim()), `${name}'s LICENSE text`);
  }
  // Loaded from node_modules at run time, never bundled.
  for (const name of ["yargs", "ollama", "oxc-transform", "typescript"]) assert.not.ok(sections.has(name), name);
  assert.equal([...sections.keys()], [...sections.keys()].sort(), "sorted: the same bytes from every build");
});

/** The packages a shipped file loads at run time: bare specifiers of require(), import(),
 * createRequire(…)(…) and static imports that are not Node's own (a package name is its first one or two segments). */
function packagesLoadedBy(code: string): Set<string> {
  const names = new Set<string>();
  for (const match of code.matchAll(/(?:\brequire\(|\bimport\(|\bfrom\s*|\bimport\s*|\bcreateRequire\([^()]*\)\()"([^"./][^"]*)"/g)) {
    const specifier = match[1]!;
    if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0]!)) continue;
    // Text, not a load: ajv's generated code keeps `'require("ajv/dist/runtime/…")'` as a string.
    if (/['"`]/.test(code[match.index - 1] ?? "")) continue;
    if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(\/|$)/.test(specifier)) continue;
    names.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);
  }
  return names;
}

test("npm pack --dry-run: the tarball's dependencies are exactly what its code loads unbundled; no @types, nothing bundled", () => {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  ) as [{ files: { path: string }[] }];
  const shipped = packed.files.map((file) => file.path).filter((file) => /\.(c|m)?js$/.test(file));
  assert.ok(shipped.includes("dist/core.cjs") && shipped.includes("dist/index.js"), shipped.join(", "));
  const loaded = new Set<string>();
  for (const file of shipped) for (const name of packagesLoadedBy(readFileSync(path.join(ROOT, file), "utf8"))) loaded.add(name);
  // cosmiconfig (bundled into the library API) imports typescript for .ts configs, which llm
  // reads with oxc-transform itself: never reached, so not a dependency.
  loaded.delete("typescript");
  // Configs import the package itself; the config loader points that import at the running copy.
  loaded.delete("local-llm-stack");
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const dependencies = Object.keys(manifest.dependencies).sort();
  assert.equal(dependencies, [...loaded].sort(), "dependencies = the packages the shipped code loads from node_modules");
  assert.equal(
    dependencies.filter((name) => name.startsWith("@types/")),
    [],
  );
});

/** A schema validator of our own making would prove nothing: compile the shipped file with ajv. */
function schemaValidator() {
  const schema = JSON.parse(readFileSync(createRequire(path.join(project, "x.js")).resolve("local-llm-stack/schema.json"), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(schema);
}

for (const format of ["json", "yaml"] as const) {
  test(`llm init --format ${format}: $schema resolves to the exported schema and the file validates`, () => {
    const file = path.join(project, `llm.config.${format}`);
    const run = llm("init", "--preset", "nvidia", "--format", format, "--force");
    assert.is(run.status, 0, run.stderr);
    assert.not.match(run.stdout, "appears once the package is installed");
    const text = readFileSync(file, "utf8");
    const data = (format === "json" ? JSON.parse(text) : parse(text)) as Record<string, unknown>;
    const exported = createRequire(path.join(project, "x.js")).resolve("local-llm-stack/schema.json");
    assert.is(realpathSync(path.resolve(project, String(data["$schema"]))), realpathSync(exported));
    assert.is(readFileSync(exported, "utf8"), readFileSync(path.join(ROOT, "schemas", "llm.config.schema.json"), "utf8"));
    if (format === "yaml") assert.match(text, `# yaml-language-server: $schema=${String(data["$schema"])}\n`);
    const validate = schemaValidator();
    assert.ok(validate(data), JSON.stringify(validate.errors));
    assert.not.ok(validate({ ...data, ollama: { memry: "16g" } }), "a typo must fail the schema editors use");
    const generated = llm("generate", "--config", `llm.config.${format}`, "--quiet");
    assert.is(generated.status, 0, generated.stderr);
    removeDir(file);
  });
}

test("llm init in a sub-folder: $schema is relative to the config and reaches the installed package's schema", () => {
  const deploy = path.join(project, "deploy", "prod");
  mkdirSync(deploy, { recursive: true });
  const exported = realpathSync(createRequire(path.join(project, "x.js")).resolve("local-llm-stack/schema.json"));
  for (const format of ["json", "yaml"] as const) {
    const file = path.join(deploy, `llm.config.${format}`);
    const run = llm("init", "--preset", "cpu", "--config", path.relative(project, file), "--force");
    assert.is(run.status, 0, run.stderr);
    assert.not.match(run.stdout, "appears once the package is installed");
    const text = readFileSync(file, "utf8");
    const schema = String(((format === "json" ? JSON.parse(text) : parse(text)) as Record<string, unknown>)["$schema"]);
    assert.is(schema, "../../node_modules/local-llm-stack/schemas/llm.config.schema.json");
    assert.is(realpathSync(path.resolve(deploy, schema)), exported);
    if (format === "yaml") assert.match(text, `# yaml-language-server: $schema=${schema}\n`);
    removeDir(file);
  }
});

test("defineConfig's types accept a valid config and reject a misspelt key (what editors show)", () => {
  writeFileSync(
    path.join(project, "good.ts"),
    'import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ presets: ["nvidia", "low-ram"], models: ["llama3.2:3b"], ollama: { memory: "16g", gpu: { count: null } } });\n',
  );
  writeFileSync(
    path.join(project, "bad.ts"),
    'import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ presets: ["nvida"], ollama: { memry: "16g" } });\n',
  );
  // One compiler run for both files, checking our declarations too (no skipLibCheck): they must
  // stand alone in a project that has none of our devDependencies, not even @types/node.
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "--noEmit",
      "--strict",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "good.ts",
      "bad.ts",
    ],
    { cwd: project, encoding: "utf8" },
  );
  assert.is(tsc.status, 2, tsc.stdout);
  const errors = tsc.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
  assert.equal(
    errors.filter((line) => !line.startsWith("bad.ts")),
    [],
    "good.ts compiles",
  );
  assert.match(tsc.stdout, /bad.ts\(2,\d+\): error TS\d+: Type '"nvida"' is not assignable to type '"cpu" \| "nvidia" \| "amd" \| "low-ram"'/);
  assert.match(tsc.stdout, /bad.ts\(2,\d+\): error TS\d+: Object literal may only specify known properties, but 'memry' does not exist/);
});

test.run();
