// `llm init` on a fresh folder for each kind of machine, then `llm generate` on what it wrote:
// the detection is fed recorded nvidia-smi, /proc/meminfo and /proc/cpuinfo outputs.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { assertGoldenText } from "./helpers/golden-text.js";
import { HOSTS, fakeHost, type FakeHostSpec } from "./helpers/host.js";
import { composeSchemaErrors, dockerComposeConfigErrors, hasDockerCompose } from "./helpers/validators.js";
import { removeDir, runCli, snapshot, tempDir } from "./helpers/workspace.js";

const test = suite("llm init: detect the hardware, write a config that generates a valid stack");

type ComposeService = {
  image: string;
  environment?: Record<string, string>;
  devices?: string[];
  deploy?: { resources?: { reservations?: { devices?: { driver: string; capabilities: string[] }[] } } };
};
type Compose = { services: Record<string, ComposeService> };

interface Case {
  name: keyof typeof HOSTS;
  presets: string[];
  models: string[];
  check: (compose: Compose) => void;
  /** Also run Debian's docker-compose on it (≈1 s each): one case per distinct compose shape. */
  dockerCompose?: boolean;
}

const gpuReservation = (compose: Compose) => compose.services["ollama"]?.deploy?.resources?.reservations?.devices;

const CASES: Case[] = [
  {
    name: "nvidiaWorkstation",
    presets: ["nvidia"],
    models: ["llama3.1:8b"],
    dockerCompose: true,
    check: (c) => assert.equal(gpuReservation(c), [{ driver: "nvidia", count: "all", capabilities: ["gpu"] }]),
  },
  {
    name: "nvidiaSmallRam",
    presets: ["nvidia", "low-ram"],
    models: ["llama3.2:1b"],
    check: (c) => {
      assert.ok(gpuReservation(c));
      assert.is(c.services["ollama"]?.environment?.["OLLAMA_NUM_PARALLEL"], "1");
    },
  },
  { name: "nvidiaDriverBroken", presets: ["cpu"], models: ["llama3.2:3b"], check: (c) => assert.is(gpuReservation(c), undefined) },
  {
    name: "amdRocm",
    presets: ["amd"],
    models: ["llama3.2:3b"],
    dockerCompose: true,
    check: (c) => {
      assert.match(c.services["ollama"]?.image ?? "", /-rocm$/);
      assert.equal(c.services["ollama"]?.devices, ["/dev/dri:/dev/dri", "/dev/kfd:/dev/kfd"]);
      assert.is(gpuReservation(c), undefined);
    },
  },
  { name: "cpuOnly", presets: ["cpu"], models: ["llama3.2:3b"], check: (c) => assert.is(c.services["ollama"]?.deploy?.resources?.reservations, undefined) },
  {
    name: "lowRamLaptop",
    presets: ["cpu", "low-ram"],
    models: ["llama3.2:1b"],
    dockerCompose: true,
    check: (c) => assert.is(c.services["ollama"]?.environment?.["OLLAMA_KV_CACHE_TYPE"], "q8_0"),
  },
  {
    name: "oldCpuNoAvx",
    presets: ["cpu"],
    models: ["llama3.2:3b"],
    dockerCompose: true,
    check: (c) => assert.is(c.services["mongodb"]?.image, "mongo:4.4.30"),
  },
  { name: "armBoard", presets: ["cpu", "low-ram"], models: ["llama3.2:1b"], check: (c) => assert.is(c.services["mongodb"]?.image, "mongo:8.0.29") },
  { name: "nothingReadable", presets: ["cpu"], models: ["llama3.2:3b"], check: (c) => assert.is(c.services["mongodb"]?.image, "mongo:8.0.29") },
];

async function initThenGenerate(spec: FakeHostSpec, initArgs: string[] = []) {
  const dir = tempDir("llm-init-");
  const init = await runCli(["init", ...initArgs], dir, { io: { host: fakeHost(spec) } });
  const generate = init.code === 0 ? await runCli(["generate", "--quiet"], dir) : undefined;
  return { dir, init, generate };
}

for (const c of CASES) {
  test(`${c.name}: init proposes ${c.presets.join(" + ")}, says why, and generate accepts the file`, async () => {
    const { dir, init, generate } = await initThenGenerate(HOSTS[c.name]());
    try {
      assert.is(init.code, 0, init.stderr);
      assert.is(init.stderr, "");
      assertGoldenText(`init-${c.name}`, init.stdout);
      assertGoldenText(`init-${c.name}.llm.config.ts`, readFileSync(path.join(dir, "llm.config.ts"), "utf8"));
      assert.is(generate?.code, 0, generate?.stderr);

      const json = await runCli(["explain", "presets", "--json"], dir);
      assert.equal(JSON.parse(json.stdout).presets, c.presets);
      const composeText = readFileSync(path.join(dir, "docker-compose.yml"), "utf8");
      const compose = parse(composeText) as Compose;
      assert.equal(composeSchemaErrors(composeText), []);
      if (c.dockerCompose && hasDockerCompose()) assert.is(dockerComposeConfigErrors(dir), null);
      assert.equal(compose.services["ollama-pull"] ? (compose.services["ollama-pull"] as unknown as { command: string[] }).command : [], c.models);
      c.check(compose);
    } finally {
      removeDir(dir);
    }
  });
}

test("--json reports the detected hardware and the reasons", async () => {
  const dir = tempDir();
  try {
    const run = await runCli(["init", "--json"], dir, { io: { host: fakeHost(HOSTS.nvidiaWorkstation()) } });
    assert.is(run.code, 0);
    const out = JSON.parse(run.stdout);
    assert.equal(out.presets, ["nvidia"]);
    assert.equal(out.hardware.nvidiaGpus, [{ name: "NVIDIA GeForce RTX 4090", memoryMiB: 24564 }]);
    assert.is(out.hardware.memory.totalBytes, 65776208 * 1024);
    assert.is(out.hardware.cpu.avx, true);
    assert.is(out.file, "llm.config.ts");
    assert.is(out.reasons.length, 4);
  } finally {
    removeDir(dir);
  }
});

for (const format of ["json", "yaml"] as const) {
  test(`--format ${format} writes llm.config.${format} with $schema, and generate accepts it`, async () => {
    const { dir, init, generate } = await initThenGenerate(HOSTS.oldCpuNoAvx(), ["--format", format]);
    try {
      assert.is(init.code, 0, init.stderr);
      assertGoldenText(`init-format-${format}.llm.config.${format}`, readFileSync(path.join(dir, `llm.config.${format}`), "utf8"));
      assert.not.ok(existsSync(path.join(dir, "llm.config.ts")));
      assert.match(init.stdout, `its $schema (./node_modules/local-llm-stack/schemas/llm.config.schema.json) appears once the package is installed`);
      assert.is(generate?.code, 0, generate?.stderr);
      assert.match(readFileSync(path.join(dir, "docker-compose.yml"), "utf8"), "image: mongo:4.4");
    } finally {
      removeDir(dir);
    }
  });
}

test("--preset skips detection; --model picks the models", async () => {
  const host = fakeHost(HOSTS.nvidiaWorkstation());
  const dir = tempDir();
  try {
    const run = await runCli(["init", "--preset", "amd", "--preset", "low-ram", "--model", "qwen2.5:7b", "--model", "nomic-embed-text"], dir, { io: { host } });
    assert.is(run.code, 0, run.stderr);
    assert.equal(host.calls, [], "no probe runs when presets are given");
    assertGoldenText("init-preset-flags", run.stdout);
    assertGoldenText("init-preset-flags.llm.config.ts", readFileSync(path.join(dir, "llm.config.ts"), "utf8"));
  } finally {
    removeDir(dir);
  }
});

test("never replaces an existing config without --force; --force replaces it", async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), 'export default { models: ["mine:1b"] };\n');
    const before = snapshot(dir);
    const refused = await runCli(["init"], dir, { io: { host: fakeHost(HOSTS.cpuOnly()) } });
    assert.is(refused.code, 2);
    assert.is(refused.stdout, "");
    assert.is(refused.stderr, "error CONFIG_EXISTS: llm.config.ts already exists\nhint: keep it, or pass --force to replace it\n");
    assert.equal(snapshot(dir), before);

    const forced = await runCli(["init", "--force"], dir, { io: { host: fakeHost(HOSTS.cpuOnly()) } });
    assert.is(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, "Replaced llm.config.ts");
    assert.match(readFileSync(path.join(dir, "llm.config.ts"), "utf8"), 'presets: ["cpu"]');
  } finally {
    removeDir(dir);
  }
});

test("a config in another format blocks init, even with --force", async () => {
  const dir = tempDir();
  try {
    writeFileSync(path.join(dir, "llm.config.yaml"), "models: [llama3.2:3b]\n");
    const before = snapshot(dir);
    const run = await runCli(["init", "--force"], dir, { io: { host: fakeHost(HOSTS.cpuOnly()) } });
    assert.is(run.code, 2);
    assert.is(
      run.stderr,
      "error CONFIG_EXISTS: llm.config.yaml already exists and would be used instead of llm.config.ts\nhint: edit llm.config.yaml, or remove it before `llm init`\n",
    );
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
});

test("a bad --model or --preset is refused before anything is written", async () => {
  const dir = tempDir();
  try {
    const model = await runCli(["init", "--preset", "cpu", "--model", "Bad Model!"], dir);
    assert.is(model.code, 2);
    assert.match(model.stderr, 'llm.config.ts: models[0]: expected an Ollama model name such as "llama3.2:3b"');
    const preset = await runCli(["init", "--preset", "nvida"], dir);
    assert.is(preset.code, 2);
    assert.is(
      preset.stderr,
      'error USAGE: invalid value "nvida" for --preset; did you mean "nvidia"? (choose from: amd, cpu, low-ram, nvidia)\nhint: run `llm init --help` to see its options and examples\n',
    );
    const conflict = await runCli(["init", "--preset", "cpu", "--preset", "nvidia"], dir);
    assert.is(conflict.code, 2);
    assert.match(conflict.stderr, "error PRESET_CONFLICT");
    const set = await runCli(["init", "--set", "ollama.memory=4g"], dir);
    assert.is(set.stderr, "error USAGE: init does not take --set\nhint: use --preset and --model, then edit the file it writes\n");
    assert.equal([...snapshot(dir).keys()], []);
  } finally {
    removeDir(dir);
  }
});

test("--config names the file to write and its format", async () => {
  const dir = tempDir();
  try {
    const run = await runCli(["init", "--preset", "cpu", "--config", "stack/llm.config.yaml"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.ok(existsSync(path.join(dir, "stack", "llm.config.yaml")));
    const mismatch = await runCli(["init", "--preset", "cpu", "--config", "x.yaml", "--format", "json"], dir);
    assert.is(mismatch.code, 2);
    assert.is(mismatch.stderr, "error USAGE: x.yaml does not end in .json\nhint: name the file llm.config.json, or drop --format\n");
  } finally {
    removeDir(dir);
  }
});

test.run();
