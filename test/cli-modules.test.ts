// The small modules behind the commands: --set parsing, hardware parsing and suggestions,
// size and version estimates, secret rotation, and the real host probes.
import { createServer } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseOverrides } from "../src/cli/overrides.js";
import { modelBytes } from "../src/doctor/estimates.js";
import { atLeast, parseVersion } from "../src/doctor/versions.js";
import { realHost } from "../src/host/real.js";
import { parseCpuinfo, parseMeminfo, parseNvidiaSmi, type Hardware } from "../src/init/detect.js";
import { suggest } from "../src/init/suggest.js";
import { secretSpec } from "../src/modules/registry.js";
import { withRotated } from "../src/secrets/status.js";
import { fixture } from "./helpers/host.js";
import { seededRandom, tempDir, removeDir } from "./helpers/workspace.js";

const test = suite("modules: overrides, detection, estimates, rotation, host probes");

test("--set: JSON values when they parse, text otherwise; presets travel apart", () => {
  const parsed = parseOverrides([
    "ollama.memory=16g",
    "librechat.port=8080",
    "librechat.registration=false",
    "ollama.gpu.count=null",
    'models=["a:1b","b"]',
    "librechat.title=My Chat",
    'presets=["nvidia"]',
  ]);
  assert.ok(parsed.ok);
  assert.equal(parsed.ok && parsed.value, {
    overrides: { ollama: { memory: "16g", gpu: { count: null } }, librechat: { port: 8080, registration: false, title: "My Chat" }, models: ["a:1b", "b"] },
    presets: ["nvidia"],
  });
  assert.equal(parseOverrides([]), { ok: true, value: {} });
  const eq = parseOverrides(["librechat.env.QUERY=a=b"]);
  assert.equal(eq.ok && eq.value.overrides, { librechat: { env: { QUERY: "a=b" } } }, "only the first = splits");
  const bad = parseOverrides(["nope", ".x=1", 'presets="cpu"']);
  assert.not.ok(bad.ok);
  if (!bad.ok)
    assert.equal(
      bad.error.diagnostics.map((d) => [d.file, d.path]),
      [
        ["--set", "nope"],
        ["--set", ".x"],
      ],
    );
  const presets = parseOverrides(['presets="cpu"']);
  assert.not.ok(presets.ok);
});

test("nvidia-smi, /proc/meminfo and /proc/cpuinfo parse as recorded", () => {
  assert.equal(parseNvidiaSmi("NVIDIA A100-SXM4-80GB, 81920\nNVIDIA A100-SXM4-80GB, 81920\n"), [
    { name: "NVIDIA A100-SXM4-80GB", memoryMiB: 81920 },
    { name: "NVIDIA A100-SXM4-80GB", memoryMiB: 81920 },
  ]);
  assert.equal(parseNvidiaSmi("Tesla T4, [N/A]\n"), [{ name: "Tesla T4", memoryMiB: null }]);
  assert.equal(parseMeminfo(fixture("meminfo-8g.txt")), { totalBytes: 7990884 * 1024, availableBytes: 5123456 * 1024 });
  assert.is(parseMeminfo("garbage"), null);
  assert.equal(parseCpuinfo(fixture("cpuinfo-avx.txt")), { avx: true, cores: 2, model: "Intel(R) Core(TM) i7-9700K CPU @ 3.60GHz" });
  assert.equal(parseCpuinfo(fixture("cpuinfo-noavx.txt")), { avx: false, cores: 2, model: "QEMU Virtual CPU version 2.5+" });
  assert.equal(parseCpuinfo(fixture("cpuinfo-arm.txt")), { avx: null, cores: 4, model: null });
});

test("suggestions: 12 GiB is the low-ram boundary; a 10 GiB GPU gets an 8B model; AMD only without NVIDIA", () => {
  const hw = (over: Partial<Hardware>): Hardware => ({
    nvidiaGpus: [],
    nvidiaError: null,
    amdKfd: false,
    memory: { totalBytes: 32 * 1024 ** 3, availableBytes: null },
    cpu: { avx: true, cores: 8, model: null },
    ...over,
  });
  assert.equal(suggest(hw({ memory: { totalBytes: 12 * 1024 ** 3, availableBytes: null } })).presets, ["cpu", "low-ram"]);
  assert.equal(suggest(hw({ memory: { totalBytes: 12 * 1024 ** 3 + 1, availableBytes: null } })).presets, ["cpu"]);
  assert.equal(suggest(hw({ nvidiaGpus: [{ name: "RTX 3080", memoryMiB: 10240 }] })).models, ["llama3.1:8b"]);
  assert.equal(suggest(hw({ nvidiaGpus: [{ name: "RTX 3060 Laptop", memoryMiB: 6144 }] })).models, ["llama3.2:3b"]);
  assert.equal(suggest(hw({ nvidiaGpus: [{ name: "RTX 3060", memoryMiB: 12288 }], amdKfd: true })).presets, ["nvidia"]);
  assert.equal(suggest(hw({ cpu: { avx: false, cores: 2, model: null } })).mongodbAvx, false);
  assert.is(suggest(hw({})).mongodbAvx, undefined);
});

test("model sizes from their tags; versions compare numerically", () => {
  const gib = (name: string) => Number(((modelBytes(name) ?? 0) / 1024 ** 3).toFixed(1));
  assert.is(gib("llama3.2:3b"), 2);
  assert.is(gib("llama3.1:8b"), 5);
  assert.is(gib("qwen2.5-coder:7b-instruct-q4_K_M"), 4.4);
  assert.is(gib("nomic-embed-text"), 0.3);
  assert.is(gib("hf.co/org/nomic-embed-text:latest"), 0.3);
  assert.is(modelBytes("llama3.2"), null);
  assert.equal(parseVersion("Docker Compose version v2.29.7-desktop.1"), [2, 29, 7]);
  assert.equal(parseVersion("24.0.7+dfsg1"), [24, 0, 7]);
  assert.is(parseVersion("unknown"), null);
  assert.ok(atLeast([2, 24, 0], [2, 24, 0]));
  assert.ok(atLeast([10, 0, 0], [9, 9, 9]));
  assert.not.ok(atLeast([2, 9, 9], [2, 24, 0]));
});

test("rotation rewrites one line; comments, the user's keys and other secrets stay byte for byte", () => {
  const spec = secretSpec("JWT_SECRET");
  assert.ok(spec);
  if (!spec) return;
  const text = `# header\nJWT_SECRET=${"a".repeat(64)}\nexport OPENROUTER_KEY='sk-or-1'\nCREDS_KEY=${"b".repeat(64)}`;
  const rotated = withRotated(text, spec, seededRandom("r"));
  const [a, b] = [text.split("\n"), rotated.split("\n")];
  assert.is(b.length, a.length);
  assert.equal(
    b.filter((_, i) => i !== 1),
    a.filter((_, i) => i !== 1),
  );
  assert.match(b[1] ?? "", /^JWT_SECRET=[0-9a-f]{64}$/);
  assert.is.not(b[1], a[1]);
  assert.is(withRotated("# only a comment", spec, seededRandom("r")).split("\n").length, 3, "a missing secret is appended");
  // A generator that first repeats the old value still yields a new one.
  let calls = 0;
  const repeating = (alphabet: string, length: number) => (calls++ === 0 ? "a".repeat(length) : seededRandom("x")(alphabet, length));
  assert.is.not(withRotated(text, spec, repeating).split("\n")[1], a[1]);
});

test("real host probes: commands, files, disk, ports", async () => {
  const host = realHost();
  assert.is(await host.run("llm-test-no-such-program", []), null);
  const node = await host.run(process.execPath, ["-e", "process.stdout.write('hi'); process.exit(3)"]);
  assert.equal(node, { code: 3, stdout: "hi", stderr: "" });
  assert.is(await host.readFile("/definitely/not/here"), null);
  assert.is(await host.exists("/definitely/not/here"), false);
  const dir = tempDir();
  try {
    const free = await host.freeDiskBytes(`${dir}/not/created/yet`);
    assert.ok(typeof free === "number" && free > 0);
  } finally {
    removeDir(dir);
  }
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const port = (server.address() as { port: number }).port;
  try {
    assert.is(await host.portState("127.0.0.1", port), "in-use");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.is(await host.portState("127.0.0.1", port), "free");
  assert.is(await host.portState("203.0.113.7", port), "unavailable", "TEST-NET-3 is never an address of this host");
});

test.run();
