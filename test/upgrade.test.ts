// `llm outdated` and `llm upgrade`: the folder's deployed images (the manifest) against the catalog,
// the steps a move needs in order, and the config edited only where its pins are.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseManifest } from "../src/diff/manifest.js";
import { imageCatalog } from "../src/generated/catalog.js";
import { editPins } from "../src/upgrade/config-edit.js";
import { planSteps } from "../src/upgrade/plan.js";
import { removeDir, runCli, snapshot, workspaceWith } from "./helpers/workspace.js";

const test = suite("llm outdated and llm upgrade: offline, from the manifest, only the pins edited");

const OLD = `import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu"],
  models: ["llama3.2:3b"],
  // the versions this folder was set up with
  librechat: { image: "ghcr.io/danny-avila/librechat:v0.8.0", title: "Team chat" },
  meilisearch: {
    image: 'getmeili/meilisearch:v1.12.3', /* kept by hand */
  },
});
`;

const pin = (id: string) => imageCatalog.images.find((entry) => entry.id === id)!.image;

let shared: string | undefined;
/** One old folder for read-only checks, removed when the suite ends. */
async function oldFolderPath(): Promise<string> {
  shared ??= await oldFolder();
  return shared;
}
test.after(() => {
  if (shared) removeDir(shared);
});

async function oldFolder(): Promise<string> {
  const dir = workspaceWith("llm.config.ts", OLD);
  const run = await runCli(["generate", "-q"], dir);
  assert.is(run.code, 0, run.stderr);
  return dir;
}

test("the manifest records each service's image; a manifest without images still reads", async () => {
  const dir = await oldFolder();
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, ".llm/manifest.json"), "utf8")) as { images: Record<string, string> };
    assert.equal(manifest.images, {
      librechat: "ghcr.io/danny-avila/librechat:v0.8.0",
      meilisearch: "getmeili/meilisearch:v1.12.3",
      mongodb: pin("mongodb"),
      ollama: pin("ollama"),
      "ollama-pull": pin("ollama"),
    });
    const { images: _images, ...old } = manifest;
    const parsed = parseManifest(JSON.stringify(old));
    assert.ok(parsed.ok && parsed.value && parsed.value.images === undefined);
    const bad = parseManifest(JSON.stringify({ ...old, images: { librechat: "a b" } }));
    assert.ok(!bad.ok && bad.error.code === "MANIFEST_INVALID");
  } finally {
    removeDir(dir);
  }
});

test("outdated on LibreChat v0.8.0 and Meilisearch v1.12.3: both named with their advisories, exit 10; --json for CI", async () => {
  const dir = await oldFolder();
  try {
    const before = snapshot(dir);
    const run = await runCli(["outdated"], dir);
    assert.is(run.code, 10, run.stderr);
    assert.match(
      run.stdout,
      /librechat +ghcr\.io\/danny-avila\/librechat:v0\.8\.0 +same +ghcr\.io\/danny-avila\/librechat:v0\.8\.7 +behind +CVE-2026-22252 \(critical, fixed in 0\.8\.2\), CVE-2026-32625 \(critical, fixed in 0\.8\.4\), CVE-2026-54024 \(medium, fixed in 0\.8\.4\)\n/,
    );
    assert.match(
      run.stdout,
      /meilisearch +getmeili\/meilisearch:v1\.12\.3 +same +getmeili\/meilisearch:v1\.35\.1 +behind +MEILI-2026-01-SSRF \(medium, fixed in 1\.34\.1\)\n/,
    );
    // Introduced after v0.8.0: not LibreChat v0.8.0's.
    assert.not.match(run.stdout, /CVE-2026-31945|CVE-2026-31951/);
    const json = JSON.parse((await runCli(["outdated", "--json"], dir)).stdout) as {
      behind: number;
      advisories: number;
      manifestImages: boolean;
      images: { services: string[]; image: string; deployed: string; configured: string; current: string; status: string; advisories: { id: string }[] }[];
    };
    assert.is(json.behind, 2);
    assert.is(json.advisories, 2);
    assert.is(json.manifestImages, true);
    const byId = Object.fromEntries(json.images.map((row) => [row.image, row]));
    assert.equal(
      byId["librechat"]!.advisories.map((a) => a.id),
      ["CVE-2026-22252", "CVE-2026-32625", "CVE-2026-54024"],
    );
    assert.equal(
      { ...byId["meilisearch"]!, advisories: byId["meilisearch"]!.advisories.map((a) => a.id) },
      {
        services: ["meilisearch"],
        image: "meilisearch",
        deployed: "getmeili/meilisearch:v1.12.3",
        configured: "getmeili/meilisearch:v1.12.3",
        current: pin("meilisearch"),
        status: "behind",
        advisories: ["MEILI-2026-01-SSRF"],
        openAtCurrent: (byId["meilisearch"] as unknown as { openAtCurrent: unknown }).openAtCurrent,
      },
    );
    assert.equal(byId["ollama"]!.services, ["ollama", "ollama-pull"]);
    assert.equal(snapshot(dir), before, "outdated writes nothing");
  } finally {
    removeDir(dir);
  }
});

test("outdated on the catalog's pins exits 0; behind without an advisory exits 1", async () => {
  const dir = workspaceWith("llm.config.ts", `export default { presets: ["cpu"], models: ["llama3.2:3b"] };\n`);
  try {
    assert.is((await runCli(["generate", "-q"], dir)).code, 0);
    const run = await runCli(["outdated"], dir);
    assert.is(run.code, 0, run.stdout);
    assert.match(run.stdout, /every image is the catalog's\n$/);
    // A pin behind with no advisory in between: behind, exit 1. The manifest says 0.32.14 ran.
    const manifestFile = path.join(dir, ".llm/manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { images: Record<string, string> };
    manifest.images["ollama"] = "ollama/ollama:0.32.14";
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const behind = await runCli(["outdated", "--json"], dir);
    assert.is(behind.code, 1);
    const row = (JSON.parse(behind.stdout) as { images: { services: string[]; deployed: string; status: string }[] }).images.find(
      (r) => r.services[0] === "ollama",
    )!;
    assert.equal([row.deployed, row.status], ["ollama/ollama:0.32.14", "behind"]);
  } finally {
    removeDir(dir);
  }
});

test("a manifest from an earlier llm (no images): the config's pins stand in, and the next generate records them; a pin newer than the catalog is ahead and kept", async () => {
  const dir = workspaceWith(
    "llm.config.ts",
    `export default { presets: ["cpu"], models: ["llama3.2:3b"], meilisearch: { image: "getmeili/meilisearch:v1.48.3" } };\n`,
  );
  try {
    assert.is((await runCli(["generate", "-q"], dir)).code, 0);
    const manifestFile = path.join(dir, ".llm/manifest.json");
    const { images: _images, ...old } = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, unknown>;
    writeFileSync(manifestFile, `${JSON.stringify(old, null, 2)}\n`);
    const run = await runCli(["outdated", "--json"], dir);
    assert.is(run.code, 0, run.stdout);
    const report = JSON.parse(run.stdout) as { manifestImages: boolean; images: { image: string; deployed: string | null; status: string }[] };
    assert.is(report.manifestImages, false);
    const meili = report.images.find((r) => r.image === "meilisearch")!;
    assert.equal([meili.deployed, meili.status], [null, "ahead"]);
    assert.match((await runCli(["outdated"], dir)).stdout, /does not record images \(an earlier llm wrote it\): the config's pins stand in/);
    const plan = JSON.parse((await runCli(["upgrade", "--plan", "--json"], dir)).stdout) as { edits: unknown[]; kept: unknown[]; manifestImages: boolean };
    assert.equal(plan.edits, []);
    assert.equal(plan.kept, [{ path: "meilisearch.image", image: "getmeili/meilisearch:v1.48.3", reason: `newer than the catalog's ${pin("meilisearch")}` }]);
    assert.is(plan.manifestImages, false);
    assert.is((await runCli(["generate", "-q"], dir)).code, 0);
    assert.is((JSON.parse(readFileSync(manifestFile, "utf8")) as { images: Record<string, string> }).images["meilisearch"], "getmeili/meilisearch:v1.48.3");
  } finally {
    removeDir(dir);
  }
});

test("a Kubernetes-only stack: the plan says its commands are Compose's", async () => {
  const dir = workspaceWith(
    "llm.config.ts",
    `export default { presets: ["cpu"], models: ["llama3.2:3b"], targets: ["kubernetes"], meilisearch: { image: "getmeili/meilisearch:v1.12.3" } };\n`,
  );
  try {
    assert.is((await runCli(["generate", "-q"], dir)).code, 0);
    const plan = JSON.parse((await runCli(["upgrade", "--plan", "--json"], dir)).stdout) as { notes: string[]; steps: { id: string }[] };
    assert.ok(plan.steps.some((s) => s.id === "meilisearch-dumpless-upgrade"));
    assert.match(plan.notes.join("\n"), /^the commands are Docker Compose's: on Kubernetes/);
    // llm backup refuses a Kubernetes-only stack (BACKUP_UNSUPPORTED): the plan does not send the user there.
    const text = (await runCli(["upgrade", "--plan"], dir)).stdout;
    assert.match(text, /^1\. Back up before the one-way steps below: .*llm backup works with the Compose target only/m);
    assert.not.match(text, /\$ npx llm backup/);
    const compose = JSON.parse((await runCli(["upgrade", "--plan", "--json"], await oldFolderPath())).stdout) as { notes: string[] };
    assert.equal(compose.notes, []);
  } finally {
    removeDir(dir);
  }
});

test("upgrade --plan lists the backup before the Meilisearch step, in order, and writes nothing", async () => {
  const dir = await oldFolder();
  try {
    const before = snapshot(dir);
    const run = await runCli(["upgrade", "--plan"], dir);
    assert.is(run.code, 0, run.stderr);
    const steps = run.stdout.split("\n").filter((line) => /^\d+\. /.test(line));
    assert.equal(
      steps.map((line) => line.slice(0, 44)),
      [
        "1. Back up before the one-way steps below: t",
        "2. Move the pins and write the files",
        "3. librechat: librechat.yaml's version follo",
        "4. librechat: LibreChat writes its logs to /",
        "5. Fetch the new images",
        "6. meilisearch: Meilisearch opens only an in",
        "7. Start the stack on the new images",
      ],
    );
    const backup = run.stdout.indexOf("$ npx llm backup");
    const dumpless = run.stdout.indexOf("-e MEILI_EXPERIMENTAL_DUMPLESS_UPGRADE=true meilisearch");
    assert.ok(backup > 0 && dumpless > backup, "the backup comes before the one-way step");
    assert.ok(
      run.stdout.includes(
        "$ docker compose run --rm --no-deps --entrypoint sh -v ./data/meilisearch-v1.12.3:/old:ro meilisearch -c 'cp -a /old/. /meili_data/'   # the copy, made as the container's root into data/meilisearch-v1.35.1\n",
      ),
    );
    assert.equal(snapshot(dir), before, "--plan writes nothing");
    const json = JSON.parse((await runCli(["upgrade", "--plan", "--json"], dir)).stdout) as { steps: { id: string; oneWay: boolean }[]; edits: unknown };
    assert.equal(
      json.steps.map((s) => s.id),
      ["backup", "regenerate", "librechat-config-version", "librechat-log-folder", "pull", "meilisearch-dumpless-upgrade", "start"],
    );
    assert.equal(json.edits, [
      { path: "librechat.image", image: pin("librechat") },
      { path: "meilisearch.image", image: pin("meilisearch") },
    ]);
  } finally {
    removeDir(dir);
  }
});

test("upgrade edits only the pins, byte for byte, regenerates, and outdated is then 0", async () => {
  const dir = await oldFolder();
  try {
    const run = await runCli(["upgrade"], dir);
    assert.is(run.code, 0, run.stderr);
    const after = readFileSync(path.join(dir, "llm.config.ts"), "utf8");
    assert.is(after, OLD.replace("librechat:v0.8.0", "librechat:v0.8.7").replace("meilisearch:v1.12.3", "meilisearch:v1.35.1"));
    assert.match(readFileSync(path.join(dir, "docker-compose.yml"), "utf8"), /image: getmeili\/meilisearch:v1\.35\.1\n/);
    assert.is((await runCli(["outdated"], dir)).code, 0);
    // Nothing left to move: a second run changes nothing.
    const again = await runCli(["upgrade", "--json"], dir);
    assert.equal((JSON.parse(again.stdout) as { edits: unknown[] }).edits, []);
    assert.is(readFileSync(path.join(dir, "llm.config.ts"), "utf8"), after);
  } finally {
    removeDir(dir);
  }
});

test("upgrade output: generate's changes without its next steps (docker compose up -d would skip the data steps); next is the plan's first step", async () => {
  const dir = await oldFolder();
  try {
    const run = await runCli(["upgrade"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stdout, /\nllm generate: llm\.config\.ts \(presets: cpu\)\n  updated +docker-compose\.yml\n/);
    assert.not.match(run.stdout, /Next steps|apply the changes|Check on it/);
    // The only `docker compose up -d` is the plan's own last step.
    assert.is(run.stdout.split("$ docker compose up -d\n").length, 2, run.stdout);
    assert.ok(
      run.stdout.endsWith("\nNext: step 1 above (Back up before the one-way steps below: they change stored data so that the old version cannot read it).\n"),
    );
  } finally {
    removeDir(dir);
  }
});

test("upgrade across MongoDB series with data in the old folder: the plan's move is allowed, any other folder still refused", async () => {
  const config = `export default { presets: ["cpu"], models: ["llama3.2:3b"], mongodb: { image: "mongo:7.0.14" } };\n`;
  const dir = workspaceWith("llm.config.ts", config);
  try {
    assert.is((await runCli(["generate", "-q"], dir)).code, 0);
    mkdirSync(path.join(dir, "data/mongodb-7.0"), { recursive: true });
    writeFileSync(path.join(dir, "data/mongodb-7.0/x"), "");
    const run = await runCli(["upgrade"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.match(readFileSync(path.join(dir, "docker-compose.yml"), "utf8"), /image: mongo:8\.0\.29\n/);
    assert.ok(run.stdout.includes("   $ docker compose stop mongodb && mv data/mongodb-7.0 data/mongodb-8.0\n"), run.stdout);
    // Outside the upgrade the data folders are judged as before: generate refuses until the data moves.
    const generate = await runCli(["generate"], dir);
    assert.is(generate.code, 2);
    assert.match(generate.stderr, /DATA_MIGRATION_REQUIRED/);
  } finally {
    removeDir(dir);
  }
  // Data in a folder the plan does not move (6.0, while the manifest says 7.0 ran): refused, nothing written.
  const other = workspaceWith("llm.config.ts", config);
  try {
    assert.is((await runCli(["generate", "-q"], other)).code, 0);
    mkdirSync(path.join(other, "data/mongodb-6.0"), { recursive: true });
    writeFileSync(path.join(other, "data/mongodb-6.0/x"), "");
    const before = snapshot(other);
    const run = await runCli(["upgrade"], other);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /DATA_MIGRATION_REQUIRED/);
    assert.equal(snapshot(other), before);
  } finally {
    removeDir(other);
  }
});

test("upgrade with a Meilisearch index in the old folder: no warning of an empty index (the plan copies and upgrades it)", async () => {
  const dir = await oldFolder();
  try {
    mkdirSync(path.join(dir, "data/meilisearch-v1.12.3"), { recursive: true });
    writeFileSync(path.join(dir, "data/meilisearch-v1.12.3/x"), "");
    const run = await runCli(["upgrade"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.not.match(run.stderr, /empty index/);
    assert.match(readFileSync(path.join(dir, "docker-compose.yml"), "utf8"), /image: getmeili\/meilisearch:v1\.35\.1\n/);
    // generate, outside the plan, says what the folders mean.
    assert.match((await runCli(["generate"], dir)).stderr, /starts an empty index in data\/meilisearch-v1\.35\.1/);
  } finally {
    removeDir(dir);
  }
});

test("upgrade edits the config under the folder's lock: while another run holds it, the config is not touched", async () => {
  const dir = await oldFolder();
  try {
    mkdirSync(path.join(dir, ".llm", "tx"));
    // The test runner's parent is alive for the whole test.
    writeFileSync(path.join(dir, ".llm", "tx", "lock"), JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    const config = path.join(dir, "llm.config.ts");
    const { ino, mtimeMs } = statSync(config);
    const before = snapshot(dir);
    const run = await runCli(["upgrade"], dir);
    assert.is(run.code, 4);
    assert.match(run.stderr, /^error LOCKED: another llm run/);
    assert.equal([statSync(config).ino, statSync(config).mtimeMs], [ino, mtimeMs], "never written, not even put back");
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
});

test("upgrade puts the config back when generate refuses (a hand-edited file), and says so", async () => {
  const dir = await oldFolder();
  try {
    const compose = path.join(dir, "docker-compose.yml");
    writeFileSync(compose, `${readFileSync(compose, "utf8")}# my change\n`);
    const before = snapshot(dir);
    const run = await runCli(["upgrade"], dir);
    assert.is(run.code, 4);
    assert.match(run.stderr, /llm\.config\.ts was put back as it was: generate refused to overwrite hand-edited files \(docker-compose\.yml\)/);
    const after = snapshot(dir);
    for (const file of ["llm.config.ts", "docker-compose.yml", ".llm/manifest.json"]) assert.is(after.get(file)?.contents, before.get(file)?.contents, file);
  } finally {
    removeDir(dir);
  }
});

test("upgrade --to inserts a pin the file did not have; a pin it cannot edit is refused with nothing changed", async () => {
  const dir = workspaceWith("llm.config.ts", `export default {\n  presets: ["cpu"],\n  models: ["llama3.2:3b"],\n};\n`);
  try {
    assert.is((await runCli(["generate", "-q"], dir)).code, 0);
    const run = await runCli(["upgrade", "--to", "meilisearch=v1.34.1"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.is(
      readFileSync(path.join(dir, "llm.config.ts"), "utf8"),
      `export default {\n  meilisearch: { image: "getmeili/meilisearch:v1.34.1" },\n  presets: ["cpu"],\n  models: ["llama3.2:3b"],\n};\n`,
    );
    const downgrade = JSON.parse((await runCli(["upgrade", "--plan", "--json"], dir)).stdout) as { steps: { id: string }[] };
    assert.ok(downgrade.steps.some((s) => s.id === "meilisearch-dumpless-upgrade"));
  } finally {
    removeDir(dir);
  }
  const opaque = `const meili = "getmeili/meilisearch:v1.12.3";\nexport default { presets: ["cpu"], models: ["llama3.2:3b"], meilisearch: { image: meili } };\n`;
  const other = workspaceWith("llm.config.ts", opaque);
  try {
    assert.is((await runCli(["generate", "-q"], other)).code, 0);
    const before = snapshot(other);
    const run = await runCli(["upgrade"], other);
    assert.is(run.code, 4);
    assert.match(
      run.stderr,
      /error CONFIG_EDIT_REFUSED: llm\.config\.ts: llm upgrade cannot set meilisearch\.image in this file: meilisearch\.image is not a plain string there \(line 2\)/,
    );
    assert.match(run.stderr, /set meilisearch\.image: "getmeili\/meilisearch:v1\.35\.1" in llm\.config\.ts by hand/);
    assert.equal(snapshot(other), before);
  } finally {
    removeDir(other);
  }
});

test("editPins: replaces literals, inserts nested keys laid out as the object is, refuses spreads and duplicates", () => {
  const edit = (source: string, file: string, at: string, image: string) => editPins(source, file, [{ path: at, image }]);
  const nested = edit(
    `export default defineConfig({\n  monitoring: { enabled: true },\n});\n`,
    "llm.config.ts",
    "monitoring.prometheus.image",
    "prom/prometheus:v3.13.2",
  );
  assert.ok(nested.ok);
  assert.is(nested.value, `export default defineConfig({\n  monitoring: { prometheus: { image: "prom/prometheus:v3.13.2" }, enabled: true },\n});\n`);
  const json = edit(`{\n  "meilisearch": {}\n}\n`, "llm.config.json", "meilisearch.image", "getmeili/meilisearch:v1.35.1");
  assert.ok(json.ok);
  assert.is(json.value, `{\n  "meilisearch": { "image": "getmeili/meilisearch:v1.35.1" }\n}\n`);
  const pkg = edit(`{\n  "name": "x",\n  "llm": {\n    "presets": ["cpu"]\n  }\n}\n`, "package.json", "meilisearch.image", "getmeili/meilisearch:v1.35.1");
  assert.ok(pkg.ok);
  assert.is(pkg.value, `{\n  "name": "x",\n  "llm": {\n    "meilisearch": { "image": "getmeili/meilisearch:v1.35.1" },\n    "presets": ["cpu"]\n  }\n}\n`);
  const yaml = edit(`presets: [cpu]\n`, "llm.config.yaml", "meilisearch.image", "getmeili/meilisearch:v1.35.1");
  assert.ok(!yaml.ok && /not YAML/.test(yaml.error.message));
  // A string that looks like a key, in a comment or a template, is not one.
  const tricky = `// meilisearch: { image: "x:1" }\nexport default { title: \`meilisearch: { image \${1} }\`, meilisearch: { image: "getmeili/meilisearch:v1.12.3" } };\n`;
  const edited = edit(tricky, "llm.config.ts", "meilisearch.image", "getmeili/meilisearch:v1.35.1");
  assert.ok(edited.ok);
  assert.is(edited.value, tricky.replace("meilisearch:v1.12.3", "meilisearch:v1.35.1"));
  for (const source of [
    `const base = {};\nexport default { ...base, presets: ["cpu"] };\n`,
    `export default { meilisearch: { image: "a:1" }, meilisearch: { image: "b:1" } };\n`,
    `const config = {};\nexport default config;\n`,
  ]) {
    const refused = edit(source, "llm.config.ts", "meilisearch.image", "getmeili/meilisearch:v1.35.1");
    assert.ok(!refused.ok && refused.error.code === "CONFIG_EDIT_REFUSED", source);
  }
});

test("planSteps: host requirements first, one backup before every one-way step, MongoDB one series at a time, behaviour last", () => {
  const context = { llm: "npx llm", librechat: "librechat", regenerated: false, mongoAuth: true, backup: true };
  const steps = planSteps(
    [
      { image: "ollama-rocm", service: "ollama", from: "ollama/ollama:0.12.6-rocm", to: "ollama/ollama:0.32.15-rocm" },
      { image: "mongodb", service: "mongodb", from: "mongo:6.0.20", to: "mongo:8.0.29", fromDir: "data/mongodb-6.0", toDir: "data/mongodb-8.0" },
      { image: "grafana", service: "grafana", from: "grafana/grafana:12.2.0", to: "grafana/grafana:12.4.11" },
      { image: "cadvisor", service: "cadvisor", from: "gcr.io/cadvisor/cadvisor:v0.52.1", to: "ghcr.io/google/cadvisor:v0.60.5" },
      { image: "traefik", service: "traefik", from: "traefik:v3.5.3", to: "traefik:v3.7.11" },
    ],
    context,
  );
  assert.equal(
    steps.map((s) => s.id),
    [
      "ollama-rocm-7",
      "backup",
      "regenerate",
      "cadvisor-registry",
      "pull",
      "mongodb-one-series-at-a-time",
      "grafana-database",
      "start",
      "traefik-encoded-paths",
      "traefik-basicauth-users",
    ],
  );
  const mongo = steps.find((s) => s.id === "mongodb-one-series-at-a-time")!;
  assert.ok(mongo.oneWay);
  assert.equal(
    mongo.commands
      .filter((c) => c.includes("setFeatureCompatibilityVersion"))
      .map((c) => /setFeatureCompatibilityVersion: \\"([\d.]+)\\"(, confirm: true)?/.exec(c)?.slice(1)),
    [
      ["7.0", ", confirm: true"],
      ["8.0", ", confirm: true"],
    ],
  );
  assert.ok(mongo.commands.includes("docker compose stop mongodb && mv data/mongodb-6.0 data/mongodb-7.0"));
  assert.ok(mongo.commands.includes("npx llm upgrade --to mongodb=mongo:7.0 && docker compose up -d mongodb"));
  // The last hop lands on the exact pin, not on the moving tag mongo:8.0.
  assert.ok(mongo.commands.includes("npx llm upgrade --to mongodb=mongo:8.0.29 && docker compose up -d mongodb"), mongo.commands.join("\n"));
  assert.not.ok(mongo.commands.some((c) => c.includes("mongodb=mongo:8.0 ")));
  assert.ok(mongo.commands.some((c) => c.includes(' admin -u librechat -p "$MONGO_INITDB_ROOT_PASSWORD" --quiet --eval')));
  // A MongoDB without authentication (init --from writes mongodb.auth: false): the shells log in as no one.
  const noAuth = planSteps([{ image: "mongodb", service: "mongodb", from: "mongo:7.0.14", to: "mongo:8.0.29" }], { ...context, mongoAuth: false })
    .find((s) => s.id === "mongodb-one-series-at-a-time")!
    .commands.filter((c) => c.includes("exec mongodb"));
  assert.is(noAuth.length, 2);
  for (const command of noAuth) {
    assert.not.match(command, /-u librechat|MONGO_INITDB_ROOT_PASSWORD|\{auth\}/);
    assert.match(command, `"$(command -v mongosh || command -v mongo)" admin --quiet --eval`);
  }
  // Without the Compose target llm backup refuses the stack: the backup step names no llm command.
  const k8s = planSteps([{ image: "mongodb", service: "mongodb", from: "mongo:7.0.14", to: "mongo:8.0.29" }], { ...context, backup: false });
  const backupStep = k8s.find((s) => s.id === "backup")!;
  assert.equal(backupStep.commands, []);
  assert.match(backupStep.title, /llm backup works with the Compose target only/);
  // The images of 4.4 and 5.0 have the legacy `mongo` shell only; mongosh came with 6.0.
  const fromOld = planSteps(
    [{ image: "mongodb", service: "mongodb", from: "mongo:4.4.30", to: "mongo:8.0.29", fromDir: "data/mongodb-4.4", toDir: "data/mongodb-8.0" }],
    context,
  );
  const shells = fromOld.find((s) => s.id === "mongodb-one-series-at-a-time")!.commands.filter((c) => c.includes("exec mongodb"));
  assert.ok(shells.length >= 2, JSON.stringify(shells));
  for (const command of shells) assert.match(command, `sh -c '"$(command -v mongosh || command -v mongo)" admin -u librechat`);
  // A patch release within a series, on an image without data: no data step and no backup.
  assert.equal(
    planSteps([{ image: "redis", service: "redis", from: "redis:7.4.5-alpine", to: "redis:7.4.11-alpine" }], context).map((s) => s.id),
    ["regenerate", "pull", "start"],
  );
  // Going back to an older cAdvisor warns about Docker 29; an older Meilisearch rebuilds its index.
  const back = planSteps(
    [
      { image: "cadvisor", service: "cadvisor", from: "ghcr.io/google/cadvisor:v0.60.5", to: "ghcr.io/google/cadvisor:0.53.0" },
      { image: "meilisearch", service: "meilisearch", from: "getmeili/meilisearch:v1.35.1", to: "getmeili/meilisearch:v1.34.1" },
    ],
    context,
  );
  assert.equal(
    back.map((s) => s.id),
    ["cadvisor-docker-29", "regenerate", "pull", "meilisearch-downgrade", "start"],
  );
  assert.equal(back.find((s) => s.id === "meilisearch-downgrade")!.commands, ["docker compose exec librechat npm run reset-meili-sync"]);
  // No dumpless upgrade before a v1.12 database or to a version without the flag (v1.12.x): dump and import.
  for (const [from, to] of [
    ["v1.11.3", "v1.35.1"],
    ["v1.12.3", "v1.12.8"],
  ]) {
    const ids = planSteps(
      [{ image: "meilisearch", service: "meilisearch", from: `getmeili/meilisearch:${from}`, to: `getmeili/meilisearch:${to}` }],
      context,
    ).map((s) => s.id);
    assert.equal(ids, ["backup", "regenerate", "pull", "meilisearch-dump-import", "start"], `${from} -> ${to}`);
  }
});

test.run();
