// `llm doctor` on described machines (fakes of docker, nvidia-smi, /proc, disk and ports), and
// once on this real machine, which has no Docker engine.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertGoldenText } from "./helpers/golden-text.js";
import { HOSTS, fakeHost, fixture, type FakeHostSpec } from "./helpers/host.js";
import { CLI, EXAMPLES } from "./helpers/paths.js";
import { copyExample, removeDir, runCli, snapshot, tempDir, workspaceWith } from "./helpers/workspace.js";

const test = suite("llm doctor: ok / warn / fail / skip, each with a fix");

const DOCKER_OK = {
  "docker version --format {{.Server.Version}}": "27.3.1\n",
  "docker compose version --short": "2.29.7\n",
  "docker info --format {{json .Runtimes}}": '{"io.containerd.runc.v2":{"path":"runc"},"nvidia":{"path":"nvidia-container-runtime"},"runc":{"path":"runc"}}\n',
  "docker compose -f docker-compose.yml config -q": "",
};

const withDocker = (spec: FakeHostSpec, commands: Record<string, unknown> = {}): FakeHostSpec => ({
  ...spec,
  commands: { ...DOCKER_OK, ...spec.commands, ...(commands as FakeHostSpec["commands"]) },
});

/** The example's folder after `llm generate`, so docker-compose.yml exists for the compose check. */
async function generated(example: string): Promise<string> {
  const dir = copyExample(path.join(EXAMPLES, example));
  const run = await runCli(["generate", "--quiet"], dir);
  assert.is(run.code, 0, run.stderr);
  return dir;
}

test("a healthy NVIDIA workstation: every check ok, exit 0, compose config run beside the files", async () => {
  const dir = await generated("nvidia-workstation");
  try {
    const host = fakeHost(withDocker(HOSTS.nvidiaWorkstation(), { "nvidia-ctk --version": "NVIDIA Container Toolkit CLI version 1.16.2\n" }));
    const before = snapshot(dir);
    const run = await runCli(["doctor"], dir, { io: { host } });
    assert.is(run.code, 0, run.stdout);
    assert.is(run.stderr, "");
    assertGoldenText("doctor-nvidia-healthy", run.stdout);
    const composeCall = host.calls.find((c) => c.command === "docker compose -f docker-compose.yml config -q");
    assert.is(composeCall?.cwd, dir);
    assert.equal(snapshot(dir), before, "doctor writes nothing");
  } finally {
    removeDir(dir);
  }
});

test("no /proc (macOS, Windows): RAM comes from the OS, for doctor and init", async () => {
  const dir = await generated("minimal-cpu");
  try {
    const mac = (gib: number): FakeHostSpec => withDocker({ totalMemoryBytes: gib * 1024 ** 3 });
    const json = async (gib: number) =>
      (
        JSON.parse((await runCli(["doctor", "--json"], dir, { io: { host: fakeHost(mac(gib)) } })).stdout) as {
          checks: { id: string; status: string; message: string }[];
        }
      ).checks;
    const big = (await json(64)).find((c) => c.id === "memory")!;
    assert.is(big.status, "ok", big.message);
    assert.match(big.message, "64.0 GiB");
    const small = (await json(2)).find((c) => c.id === "memory")!;
    assert.is(small.status, "warn", small.message);
    const unknown = (
      JSON.parse((await runCli(["doctor", "--json"], dir, { io: { host: fakeHost(withDocker({})) } })).stdout) as {
        checks: { id: string; status: string; message: string }[];
      }
    ).checks.find((c) => c.id === "memory")!;
    assert.is(unknown.status, "skip");
    const fresh = tempDir();
    const init = await runCli(["init", "--json"], fresh, { io: { host: fakeHost({ totalMemoryBytes: 8 * 1024 ** 3 }) } });
    removeDir(fresh);
    assert.is(init.code, 0, init.stderr);
    assert.ok((JSON.parse(init.stdout) as { presets: string[] }).presets.includes("low-ram"), init.stdout);
  } finally {
    removeDir(dir);
  }
});

test("no Docker at all: fails with fixes and says what it could not check", async () => {
  const dir = await generated("minimal-cpu");
  try {
    const run = await runCli(["doctor"], dir, { io: { host: fakeHost(HOSTS.cpuOnly()) } });
    assert.is(run.code, 1);
    assertGoldenText("doctor-no-docker", run.stdout);
  } finally {
    removeDir(dir);
  }
});

test("old Docker and Compose, a GPU without the container toolkit configured", async () => {
  const dir = await generated("nvidia-workstation");
  try {
    const spec = withDocker(HOSTS.nvidiaWorkstation(), {
      "docker version --format {{.Server.Version}}": "24.0.7\n",
      "docker compose version --short": "v2.20.2\n",
      "docker info --format {{json .Runtimes}}": '{"runc":{"path":"runc"}}\n',
      "nvidia-ctk --version": "NVIDIA Container Toolkit CLI version 1.16.2\n",
    });
    const run = await runCli(["doctor"], dir, { io: { host: fakeHost(spec) } });
    assert.is(run.code, 1);
    assertGoldenText("doctor-old-versions", run.stdout);
  } finally {
    removeDir(dir);
  }
});

test("a CPU without AVX fails for mongo 8 and passes once mongodb.avx is false", async () => {
  const dir = workspaceWith("llm.config.json", JSON.stringify({ presets: ["cpu"] }));
  try {
    const host = () => fakeHost(withDocker(HOSTS.oldCpuNoAvx()));
    const fails = await runCli(["doctor", "--json"], dir, { io: { host: host() } });
    assert.is(fails.code, 1);
    const avx = JSON.parse(fails.stdout).checks.find((c: { id: string }) => c.id === "avx");
    assert.equal(avx, {
      id: "avx",
      status: "fail",
      message: "the CPU lacks AVX, which mongo:8.0.29 needs",
      fix: "set mongodb: { avx: false } in the config (uses mongo:4.4.30, end of life)",
    });
    const fixed = await runCli(["doctor", "--json", "--set", "mongodb.avx=false"], dir, { io: { host: host() } });
    const after = JSON.parse(fixed.stdout).checks.find((c: { id: string }) => c.id === "avx");
    assert.equal(after, { id: "avx", status: "ok", message: "the CPU lacks AVX; mongo:4.4.30 runs without it" });
    // 4.4 is flagged end of life (catalog/images.json), with the way out.
    const eol = JSON.parse(fixed.stdout).checks.find((c: { id: string }) => c.id === "eol-mongodb-no-avx");
    assert.equal(eol, {
      id: "eol-mongodb-no-avx",
      status: "warn",
      message: "mongo:4.4.30 is end of life since 2024-02-29: no more security fixes (MongoDB 4.4 runs only because mongodb.avx is false)",
      fix: "move the stack to a CPU with AVX and remove mongodb.avx",
    });
  } finally {
    removeDir(dir);
  }
});

test("low RAM, a model too big for ollama.memory, little disk, busy and foreign ports", async () => {
  const dir = workspaceWith("llm.config.json", JSON.stringify({ presets: ["cpu"], models: ["llama3.1:70b", "nomic-embed-text"], bindAddress: "192.168.1.50" }));
  try {
    const spec: FakeHostSpec = { ...withDocker(HOSTS.lowRamLaptop()), freeDiskBytes: 20 * 1024 ** 3, ports: { 3080: "unavailable", 11434: "in-use" } };
    const run = await runCli(["doctor"], dir, { io: { host: fakeHost(spec) } });
    assert.is(run.code, 1);
    assertGoldenText("doctor-constrained-host", run.stdout);
  } finally {
    removeDir(dir);
  }
});

test("AMD: the ROCm devices are checked; compose config errors are reported", async () => {
  const dir = await generated("amd-rocm");
  try {
    const spec = withDocker(
      { files: { "/proc/meminfo": fixture("meminfo-64g.txt"), "/proc/cpuinfo": fixture("cpuinfo-avx.txt") }, devices: ["/dev/dri"] },
      {
        "docker compose -f docker-compose.yml config -q": {
          code: 15,
          stdout: "",
          stderr: 'service "librechat" refers to undefined volume librechat-images: invalid compose project\n',
        },
      },
    );
    const run = await runCli(["doctor", "--json"], dir, { io: { host: fakeHost(spec) } });
    assert.is(run.code, 1);
    const checks = JSON.parse(run.stdout).checks as { id: string; status: string; message: string }[];
    assert.equal(
      checks.find((c) => c.id === "gpu-driver"),
      {
        id: "gpu-driver",
        status: "fail",
        message: "/dev/kfd missing: the AMD ROCm kernel driver is not loaded",
        fix: "install the ROCm 7 amdgpu driver (amdgpu-install), or use the cpu preset; Ollama's -rocm image (0.18+) needs the ROCm 7 kernel driver; with an older one it silently runs on the CPU",
      },
    );
    assert.equal(checks.find((c) => c.id === "compose-config")?.status, "fail");
    assert.match(checks.find((c) => c.id === "compose-config")?.message ?? "", "refers to undefined volume librechat-images");
  } finally {
    removeDir(dir);
  }
});

test("without a config it checks the defaults and says so; --quiet prints only failures", async () => {
  const dir = tempDir();
  try {
    const run = await runCli(["doctor", "--json"], dir, { io: { host: fakeHost(withDocker(HOSTS.cpuOnly())) } });
    const out = JSON.parse(run.stdout);
    assert.is(out.config, null);
    assert.equal(out.checks[0], { id: "config", status: "warn", message: "no llm.config.* here: checked the built-in defaults", fix: "run llm init" });
    assert.equal(
      out.checks.find((c: { id: string }) => c.id === "compose-config"),
      { id: "compose-config", status: "warn", message: "docker-compose.yml not generated yet", fix: "run llm generate" },
    );
    assert.is(run.code, 0);
    const quiet = await runCli(["doctor", "--quiet"], dir, { io: { host: fakeHost(HOSTS.cpuOnly()) } });
    assert.is(quiet.code, 1);
    assert.is(quiet.stdout, "  fail  Docker not found\n        fix: install Docker Engine 25.0.0 or newer (https://docs.docker.com/engine/install/)\n");
    const missing = await runCli(["doctor", "--config", "nope.ts"], dir, { io: { host: fakeHost(HOSTS.cpuOnly()) } });
    assert.is(missing.code, 2, "an explicit --config that does not exist is an error");
  } finally {
    removeDir(dir);
  }
});

test("on this machine (real probes, no Docker engine): runs, and every line is a verdict", () => {
  const dir = tempDir();
  try {
    const run = spawnSync(process.execPath, [CLI, "doctor", "--set", 'presets=["nvidia"]'], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.is(lines[0], "llm doctor: no config (presets: nvidia)");
    const verdicts = lines.slice(1, -2).filter((l) => !/^ {8}fix: /.test(l));
    for (const line of verdicts) assert.match(line, /^ {2}(ok|warn|fail|skip) {1,4}\S/);
    for (const id of ["Docker", "AVX|CPU", "RAM", "free on the disk", "port 127.0.0.1:3080", "docker compose config"]) {
      assert.ok(
        verdicts.some((l) => new RegExp(id).test(l)),
        `a line about ${id}`,
      );
    }
    assert.match(lines[lines.length - 1] ?? "", /^\d+ ok, \d+ warnings?, \d+ failed, \d+ not checked$/);
  } finally {
    removeDir(dir);
  }
});

test.run();
