// ARCHITECTURE.md's "Adding a module", walked once: a throwaway module is added to a copy of the
// project, touching only the files that section lists, and the built CLI then generates its
// service, its next step and its port rule without any other file knowing it.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { ROOT } from "./helpers/paths.js";
import { removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("adding a module touches only the files ARCHITECTURE.md lists");

const MODULE = `// whoami: a throwaway module for the walk in test/adding-a-module.test.ts.
import { limits, longRunning, wgetHealth } from "../stack/helpers.js";
import { defineModule } from "./module.js";

export interface WhoamiModel {
  url: string;
}

declare module "../stack/types.js" {
  interface ModuleModels {
    whoami?: WhoamiModel;
  }
}

export const whoami = defineModule({
  name: "whoami",
  example: { whoami: { enabled: true } },
  ports: (config) => [{ path: "whoami.port", port: config.whoami.port }],
  apply: (wiring, { config }) => ({
    wiring: {
      ...wiring,
      services: [
        ...wiring.services,
        longRunning({
          name: "whoami",
          summary: "whoami: echoes each request back",
          image: config.whoami.image,
          ports: [{ hostIp: "127.0.0.1", hostPort: config.whoami.port, containerPort: 80 }],
          healthcheck: wgetHealth("http://127.0.0.1:80/", "5s"),
          limits: limits(config.whoami.memory, undefined),
        }),
      ],
    },
    model: { url: \`http://localhost:\${config.whoami.port}/\` },
  }),
  secrets: [],
  outputs: [],
  nextSteps: (model) => [\`whoami: \${model.url}\`],
});
`;

const SCHEMA_SECTION = {
  type: "object",
  additionalProperties: false,
  description: "whoami, a throwaway module.",
  properties: {
    enabled: { type: "boolean", description: "Switch the module on." },
    image: { $ref: "#/definitions/image" },
    memory: { $ref: "#/definitions/memory" },
    port: { $ref: "#/definitions/port", description: "Host port (127.0.0.1)." },
  },
};

/** The project's sources and data, without generated output, in a git repository of their own. */
function copyOfProject(): string {
  const dir = tempDir("llm-add-module-");
  for (const entry of [
    "src",
    "scripts",
    "templates",
    "presets",
    "schemas",
    "catalog",
    "examples",
    "package.json",
    "tsconfig.json",
    "tsconfig.build.json",
    ".gitignore",
    "README.md",
    "ARCHITECTURE.md",
  ]) {
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: (source) => !source.includes(`${path.sep}generated`) });
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "before");
  return dir;
}

const edit = (dir: string, file: string, change: (text: string) => string) =>
  writeFileSync(path.join(dir, file), change(readFileSync(path.join(dir, file), "utf8")));

test("a new module: its schema section, defaults, pin, file, registry line, example and two doc lines", async () => {
  const dir = copyOfProject();
  try {
    // 1. The schema: the config section.
    edit(dir, "schemas/llm.config.schema.json", (text) => {
      const schema = JSON.parse(text);
      schema.properties.whoami = SCHEMA_SECTION;
      return `${JSON.stringify(schema, null, 2)}\n`;
    });
    // 2. The defaults: off, with its limits and port.
    edit(dir, "presets/defaults.json", (text) => text.replace(/\n}\s*$/, ',\n  "whoami": { "enabled": false, "memory": "64m", "port": 8099 }\n}\n'));
    // 3. Its image, pinned in the catalog with where it was read.
    edit(dir, "catalog/images.json", (text) => {
      const catalog = JSON.parse(text);
      catalog.images.push({
        id: "whoami",
        image: "traefik/whoami:v1.11.0",
        sets: ["defaults:whoami.image"],
        line: "1.11",
        eol: null,
        upstream: { repo: "traefik/whoami", tag: "v1.11.0", commit: "0".repeat(40), released: "2025-01-01", publishedBy: "(a throwaway module)" },
        verified: "2026-12-03",
        advisories: [],
      });
      return `${JSON.stringify(catalog, null, 2)}\n`;
    });
    // 4. The module, and 5. its registry line.
    writeFileSync(path.join(dir, "src", "modules", "whoami.ts"), MODULE);
    edit(dir, "src/modules/registry.ts", (text) =>
      text
        .replace('import { security } from "./security.js";', 'import { security } from "./security.js";\nimport { whoami } from "./whoami.js";')
        .replace("[scaling, monitoring, security]", "[scaling, monitoring, security, whoami]"),
    );
    // 6. An example, and 7-8. the documentation.
    mkdirSync(path.join(dir, "examples", "whoami"));
    writeFileSync(
      path.join(dir, "examples", "whoami", "llm.config.ts"),
      'import { defineConfig } from "local-llm-stack";\n\nexport default defineConfig({ presets: ["cpu"], whoami: { enabled: true } });\n',
    );
    edit(dir, "README.md", (text) => `${text}\n### whoami\n\nA throwaway module.\n`);
    edit(dir, "ARCHITECTURE.md", (text) => `${text}\n- whoami: a throwaway module.\n`);

    const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: dir, encoding: "utf8" });
    assert.is(build.status, 0, build.stderr);
    const llm = (args: string[], cwd: string) =>
      spawnSync(process.execPath, [path.join(dir, "dist", "llm.cjs"), ...args], { cwd, encoding: "utf8", env: { ...process.env, LLM_CACHE_DIR: "off" } });
    const example = path.join(dir, "examples", "whoami");
    const generated = llm(["generate"], example);
    assert.is(generated.status, 0, generated.stderr);
    const services = (parse(readFileSync(path.join(example, "docker-compose.yml"), "utf8")) as { services: Record<string, { image: string; ports: string[] }> })
      .services;
    assert.equal(services["whoami"], { ...services["whoami"]!, image: "traefik/whoami:v1.11.0", ports: ["127.0.0.1:8099:80"] });
    assert.match(generated.stdout, "  whoami: http://localhost:8099/", "its next step");
    // The registry's shared rule knows its port without being told.
    const clash = llm(["validate", "--set", "whoami.port=3080"], example);
    assert.is(clash.status, 2);
    assert.match(clash.stderr, "whoami.port: port 3080 is already used by librechat.port");
    // Off by default: nothing of it in a stack that does not switch it on.
    const plain = llm(["generate", "--quiet"], path.join(dir, "examples", "minimal-cpu"));
    assert.is(plain.status, 0, plain.stderr);
    assert.not.match(readFileSync(path.join(dir, "examples", "minimal-cpu", "docker-compose.yml"), "utf8"), "whoami");

    // What was touched, by hand or by the tool (examples/whoami is the example with its outputs;
    // dist/ and src/generated/ are build output).
    const changed = execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: dir, encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map((line) => line.slice(3))
      .filter((file) => !file.startsWith("dist/") && !file.startsWith("src/generated/") && !file.startsWith("node_modules"));
    const touched = [...new Set(changed.map((file) => (file.startsWith("examples/whoami/") ? "examples/whoami/" : file)))].sort();
    assert.equal(touched, [
      "ARCHITECTURE.md",
      "README.md",
      "catalog/images.json",
      "examples/whoami/",
      "presets/defaults.json",
      "schemas/llm.config.schema.json",
      "src/modules/registry.ts",
      "src/modules/whoami.ts",
    ]);
  } finally {
    removeDir(dir);
  }
});

test.run();
