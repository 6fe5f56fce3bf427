// The directions ARCHITECTURE.md's "Folders" section promises, over every import in src/: the
// CLI talks to use cases (app/), only use cases reach the disk and the network (io/) or the
// machine (host/), and the pure core never imports the layers above it. The graph is esbuild's
// (the bundler the build uses): type-only imports are erased by compilation and carry no
// behaviour, so only the imports that stay in the bundle count, dynamic import() included.
import { readdirSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers/paths.js";

const test = suite("import graph: the layers point one way");

const SRC = path.join(ROOT, "src");

interface Edge {
  /** A file under src/ without extension, e.g. "app/generate". */
  from: string;
  /** The same for a file of this project ("../package" for package.json), else the package or
   * node: name. */
  to: string;
  /** A file of this project, not a package or a Node built-in. */
  local: boolean;
  dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "types" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

async function importGraph(): Promise<Edge[]> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: sourceFiles(SRC),
    bundle: true,
    write: false,
    outdir: path.join(ROOT, "dist-graph"),
    platform: "node",
    format: "esm",
    packages: "external",
    metafile: true,
    logLevel: "silent",
  });
  const underSrc = (file: string) => path.relative(SRC, path.join(ROOT, file)).replace(/\.(ts|js|json|cjs)$/, "");
  return Object.entries(result.metafile.inputs)
    .filter(([file]) => file.startsWith("src/") && !file.startsWith("src/generated/"))
    .flatMap(([file, input]) =>
      input.imports.map((i) => ({
        from: underSrc(file),
        to: i.external ? i.path : underSrc(i.path),
        local: i.external !== true,
        dynamic: i.kind === "dynamic-import",
      })),
    );
}

const EDGES = await importGraph();

/** The folder (or root file) an import lands in: "app", "io", "errors", ".." (outside src/)... */
const layerOf = (target: string): string => target.split("/")[0] ?? target;

const local = EDGES.filter((e) => e.local);

function violations(rule: (edge: Edge) => boolean): string[] {
  return local.filter(rule).map((e) => `src/${e.from}.ts imports ${e.to}`);
}

const CORE = ["config", "stack", "modules", "outputs", "render", "diff", "secrets", "doctor", "init", "models", "explain", "upgrade", "backup", "pipeline"];

test("the graph was read: every folder has imports, and type-only ones are not counted", () => {
  for (const folder of ["app", "cli", "config", "stack", "modules", "outputs", "io"]) {
    assert.ok(
      local.some((e) => layerOf(e.from) === folder),
      `no imports read from src/${folder}`,
    );
  }
  // cli/command.ts imports ResolveOptions as a type only: it must not appear as an edge.
  assert.not.ok(
    EDGES.some((e) => e.from === "cli/command" && e.to === "config/resolve"),
    "a type-only import was counted",
  );
  // A dynamic import() is an edge: the doctor command loads its use case on demand.
  assert.ok(
    EDGES.some((e) => e.from === "cli/commands/doctor" && e.to === "app/doctor" && e.dynamic),
    "dynamic import() not read",
  );
});

test("cli/ imports only use cases (app/), errors, util/, layout and its own files", () => {
  // ".." is package.json (the version for --version).
  const allowed = new Set(["app", "cli", "errors", "util", "layout", ".."]);
  assert.equal(
    violations((e) => layerOf(e.from) === "cli" && !allowed.has(layerOf(e.to))),
    [],
  );
});

test("only app/ reaches io/ (the disk, the network, locks)", () => {
  assert.equal(
    violations((e) => layerOf(e.to) === "io" && !["app", "io"].includes(layerOf(e.from))),
    [],
  );
});

test("only app/ reaches host/ (processes, /proc, ports), and host/ reaches nothing above it", () => {
  assert.equal(
    violations((e) => layerOf(e.to) === "host" && !["app", "host"].includes(layerOf(e.from))),
    [],
  );
  assert.equal(
    violations((e) => layerOf(e.from) === "host" && !["host", "errors", "util"].includes(layerOf(e.to))),
    [],
  );
});

test("the pure core never imports app/, cli/, io/ or host/", () => {
  assert.equal(
    violations((e) => CORE.includes(layerOf(e.from)) && ["app", "cli", "io", "host"].includes(layerOf(e.to))),
    [],
  );
});

test("app/ never imports cli/: use cases do not know how they are shown", () => {
  assert.equal(
    violations((e) => layerOf(e.from) === "app" && layerOf(e.to) === "cli"),
    [],
  );
});

test("doctor/, init/, models/ and the rest of the core stay off the machine: no node:fs, child_process, net or os", () => {
  const MACHINE = new Set(["node:fs", "node:fs/promises", "node:child_process", "node:net", "node:os"]);
  // Loading the config file is the one IO step left in config/: it reads the file and evaluates it.
  const LOADER = new Set(["config/load", "config/module-loader"]);
  const found = EDGES.filter((e) => CORE.includes(layerOf(e.from)) && MACHINE.has(e.to) && !LOADER.has(e.from)).map((e) => `src/${e.from}.ts imports ${e.to}`);
  assert.equal(found, []);
});

test("backup and restore reach the disk through io/ (its transaction, its private files), never node:fs themselves", () => {
  const found = EDGES.filter((e) => ["app/backup", "app/restore"].includes(e.from) && e.to.startsWith("node:fs")).map(
    (e) => `src/${e.from}.ts imports ${e.to}`,
  );
  assert.equal(found, []);
});

test.run();
