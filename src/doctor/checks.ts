// `llm doctor`: can this host run the generated stack? Each check reports ok, warn, fail (with a
// fix) or skip (what could not be checked, and why). Everything comes through a HostProbe.
import type { ResolvedConfig } from "../config/types.js";
import type { HostProbe, RunResult } from "../host/types.js";
import { NVIDIA_SMI_QUERY, parseCpuinfo, parseNvidiaSmi, readMemory } from "../init/detect.js";
import { sizeInBytes } from "../stack/build.js";
import { imageCatalog } from "../generated/catalog.js";
import { portClaims } from "../modules/registry.js";
import { MONGO_NO_AVX_IMAGE, mongoMajorVersion } from "../stack/images.js";
import type { Stack } from "../stack/types.js";
import { gib } from "../util/bytes.js";
import { DATA_HEADROOM_BYTES, imageBytes, modelBytes } from "./estimates.js";
import { MIN_COMPOSE, MIN_DOCKER, atLeast, parseVersion, versionText } from "./versions.js";
import { check, type CheckResult } from "./check-result.js";
import { clusterChecks } from "./cluster-checks.js";

export interface DoctorInput {
  config: ResolvedConfig;
  stack: Stack;
  /** Absolute folder holding the config and the generated files. */
  outDir: string;
  /** Whether docker-compose.yml has been generated there. */
  composeFileExists: boolean;
  host: HostProbe;
  /** Today's date (YYYY-MM-DD), for release lines past their end of life. */
  today: string;
}

const firstLine = (result: RunResult) => (result.stderr || result.stdout).trim().split("\n")[0] ?? "";

interface DockerState {
  /** The daemon answers (even if too old): it can be asked about its runtimes. */
  reachable: boolean;
  /** Compose v2 is present and recent enough to run `config -q`. */
  compose: boolean;
}

async function dockerChecks(host: HostProbe, out: CheckResult[]): Promise<DockerState> {
  const engine = await host.run("docker", ["version", "--format", "{{.Server.Version}}"]);
  const reachable = engine !== null && engine.code === 0;
  if (engine === null) {
    out.push(
      check("docker", "fail", "Docker not found", `install Docker Engine ${versionText(MIN_DOCKER)} or newer (https://docs.docker.com/engine/install/)`),
    );
  } else if (engine.code !== 0) {
    out.push(
      check(
        "docker",
        "fail",
        `Docker is installed but its daemon is not reachable: ${firstLine(engine)}`,
        "start it (sudo systemctl start docker) or add your user to the docker group (sudo usermod -aG docker $USER, then log in again)",
      ),
    );
  } else {
    const version = parseVersion(engine.stdout);
    if (version && !atLeast(version, MIN_DOCKER)) {
      out.push(
        check(
          "docker",
          "fail",
          `Docker Engine ${versionText(version)} is too old: the healthchecks' start_interval needs ${versionText(MIN_DOCKER)} or newer`,
          "upgrade Docker Engine",
        ),
      );
    } else {
      out.push(check("docker", "ok", `Docker Engine ${engine.stdout.trim()}`));
    }
  }

  if (engine === null) {
    out.push(check("compose", "skip", "Docker Compose v2 not checked: no docker command"));
    return { reachable, compose: false };
  }
  const compose = await host.run("docker", ["compose", "version", "--short"]);
  if (compose === null || compose.code !== 0) {
    out.push(
      check(
        "compose",
        "fail",
        "Docker Compose v2 (`docker compose`) not found",
        "install the docker-compose-plugin package; the old docker-compose v1 cannot run this file",
      ),
    );
    return { reachable, compose: false };
  }
  const version = parseVersion(compose.stdout);
  if (version && !atLeast(version, MIN_COMPOSE)) {
    out.push(
      check(
        "compose",
        "fail",
        `Docker Compose ${versionText(version)} is too old: the generated file needs ${versionText(MIN_COMPOSE)} or newer`,
        "upgrade the docker-compose-plugin package",
      ),
    );
    return { reachable, compose: false };
  }
  out.push(check("compose", "ok", `Docker Compose ${compose.stdout.trim().replace(/^v/, "")}`));
  return { reachable, compose: true };
}

async function nvidiaChecks(host: HostProbe, dockerReachable: boolean, out: CheckResult[]): Promise<void> {
  const smi = await host.run("nvidia-smi", NVIDIA_SMI_QUERY);
  if (smi === null)
    out.push(check("gpu-driver", "fail", "nvidia-smi not found: the NVIDIA driver is not installed", "install the NVIDIA driver, or use the cpu preset"));
  else if (smi.code !== 0)
    out.push(
      check(
        "gpu-driver",
        "fail",
        `nvidia-smi failed: ${firstLine(smi)}`,
        "load the NVIDIA driver (a reboot after installing it often helps), or use the cpu preset",
      ),
    );
  else {
    const gpus = parseNvidiaSmi(smi.stdout);
    out.push(check("gpu-driver", "ok", `NVIDIA driver sees ${gpus.length} GPU${gpus.length === 1 ? "" : "s"}: ${gpus.map((g) => g.name).join(", ")}`));
  }

  const configure = "sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker";
  const ctk = await host.run("nvidia-ctk", ["--version"]);
  if (dockerReachable) {
    const info = await host.run("docker", ["info", "--format", "{{json .Runtimes}}"]);
    if (info && info.code === 0 && /"nvidia"/.test(info.stdout)) {
      out.push(check("gpu-toolkit", "ok", "NVIDIA Container Toolkit: Docker has the nvidia runtime"));
      return;
    }
    if (ctk !== null) out.push(check("gpu-toolkit", "fail", "NVIDIA Container Toolkit is installed but Docker has no nvidia runtime", configure));
    else
      out.push(
        check(
          "gpu-toolkit",
          "fail",
          "NVIDIA Container Toolkit not found: containers cannot reach the GPU",
          `install nvidia-container-toolkit, then ${configure}`,
        ),
      );
    return;
  }
  if (ctk !== null)
    out.push(check("gpu-toolkit", "warn", "NVIDIA Container Toolkit is installed; whether Docker uses it was not checked (Docker unavailable)"));
  else
    out.push(
      check(
        "gpu-toolkit",
        "fail",
        "NVIDIA Container Toolkit not found: containers cannot reach the GPU",
        `install nvidia-container-toolkit, then ${configure}`,
      ),
    );
}

async function amdChecks(host: HostProbe, out: CheckResult[]): Promise<void> {
  const missing = [];
  for (const device of ["/dev/kfd", "/dev/dri"]) if (!(await host.exists(device))) missing.push(device);
  // Ollama's -rocm images bundle ROCm 7 from 0.18 on; with an older kernel driver GPU discovery
  // times out and Ollama runs on the CPU without an error (docs/troubleshooting.mdx).
  const rocm7 = "Ollama's -rocm image (0.18+) needs the ROCm 7 kernel driver; with an older one it silently runs on the CPU";
  const driver = (await host.readFile("/sys/module/amdgpu/version"))?.trim();
  if (missing.length === 0) out.push(check("gpu-driver", "ok", `AMD ROCm devices present (/dev/kfd, /dev/dri)${driver ? `, amdgpu ${driver}` : ""}; ${rocm7}`));
  else
    out.push(
      check(
        "gpu-driver",
        "fail",
        `${missing.join(" and ")} missing: the AMD ROCm kernel driver is not loaded`,
        `install the ROCm 7 amdgpu driver (amdgpu-install), or use the cpu preset; ${rocm7}`,
      ),
    );
}

/** Images whose release line is past its end of life (catalog/images.json). */
function endOfLifeChecks(input: DoctorInput, out: CheckResult[]): void {
  for (const image of [...new Set(input.stack.services.map((s) => s.image))].sort()) {
    const entry = imageCatalog.images.find((e) => e.image === image);
    if (!entry?.eol || entry.eol > input.today) continue;
    const why = image === MONGO_NO_AVX_IMAGE ? "MongoDB 4.4 runs only because mongodb.avx is false" : (entry.note ?? "");
    out.push(
      check(
        `eol-${entry.id}`,
        "warn",
        `${image} is end of life since ${entry.eol}: no more security fixes${why ? ` (${why})` : ""}`,
        image === MONGO_NO_AVX_IMAGE ? "move the stack to a CPU with AVX and remove mongodb.avx" : "upgrade to a supported release line",
      ),
    );
  }
}

async function cpuCheck(input: DoctorInput): Promise<CheckResult> {
  const text = await input.host.readFile("/proc/cpuinfo");
  const cpu = text === null ? null : parseCpuinfo(text);
  const mongo = input.stack.services.find((s) => s.name === "mongodb")?.image ?? "";
  const needsAvx = (mongoMajorVersion(mongo) ?? 99) >= 5;
  if (!cpu) return check("avx", "skip", "AVX not checked: /proc/cpuinfo is unreadable (not Linux?)");
  if (cpu.avx === null) return check("avx", "skip", "AVX not checked: not an x86 CPU");
  if (!cpu.avx && needsAvx)
    return check(
      "avx",
      "fail",
      `the CPU lacks AVX, which ${mongo} needs`,
      `set mongodb: { avx: false } in the config (uses ${MONGO_NO_AVX_IMAGE}, end of life)`,
    );
  if (!cpu.avx) return check("avx", "ok", `the CPU lacks AVX; ${mongo} runs without it`);
  if (input.config.mongodb?.avx === false)
    return check("avx", "warn", `the CPU has AVX but mongodb.avx is false, so the old ${mongo} is used`, "remove mongodb.avx to get the current MongoDB");
  return check("avx", "ok", `the CPU has AVX (needed by ${mongo})`);
}

async function memoryChecks(input: DoctorInput, out: CheckResult[]): Promise<void> {
  const memory = await readMemory(input.host);
  const limits = input.stack.services.filter((s) => s.restart !== "no").reduce((sum, s) => sum + (s.limits.memory ? sizeInBytes(s.limits.memory) : 0), 0);
  if (!memory) {
    out.push(
      check("memory", "skip", `RAM not checked: neither /proc/meminfo nor the OS says how much there is; the services' memory limits add up to ${gib(limits)}`),
    );
  } else if (memory.totalBytes < limits) {
    out.push(
      check(
        "memory",
        "warn",
        `the services' memory limits add up to ${gib(limits)}, more than the ${gib(memory.totalBytes)} of RAM`,
        "add the low-ram preset or lower the memory settings (llm explain shows them)",
      ),
    );
  } else if (memory.availableBytes !== null && memory.availableBytes < limits) {
    out.push(
      check(
        "memory",
        "warn",
        `${gib(memory.availableBytes)} of RAM free, less than the services' limits (${gib(limits)})`,
        "close other programs, or lower the memory settings",
      ),
    );
  } else {
    out.push(
      check(
        "memory",
        "ok",
        `${gib(memory.totalBytes)} of RAM${memory.availableBytes !== null ? ` (${gib(memory.availableBytes)} free)` : ""}; the services' limits add up to ${gib(limits)}`,
      ),
    );
  }

  // On a CPU the whole model sits in Ollama's container memory.
  const ollama = input.stack.services.find((s) => s.name === "ollama");
  if (ollama && !ollama.gpu && ollama.devices.length === 0 && ollama.limits.memory) {
    const limit = sizeInBytes(ollama.limits.memory);
    const tooBig = input.stack.models.filter((m) => (modelBytes(m) ?? 0) > limit);
    if (tooBig.length > 0) {
      out.push(
        check(
          "model-memory",
          "warn",
          `${tooBig.map((m) => `${m} (about ${gib(modelBytes(m) ?? 0)})`).join(", ")} exceed${tooBig.length === 1 ? "s" : ""} ollama.memory (${ollama.limits.memory})`,
          "raise ollama.memory or choose a smaller model",
        ),
      );
    } else {
      out.push(check("model-memory", "ok", `every model fits in ollama.memory (${ollama.limits.memory})`));
    }
  }
}

async function diskCheck(input: DoctorInput, out: CheckResult[]): Promise<void> {
  const free = await input.host.freeDiskBytes(input.outDir);
  const unknown = input.stack.models.filter((m) => modelBytes(m) === null);
  const models = input.stack.models.reduce((sum, m) => sum + (modelBytes(m) ?? 0), 0);
  const images = [...new Set(input.stack.services.map((s) => s.image))].reduce((sum, image) => sum + imageBytes(image), 0);
  const needed = models + images + DATA_HEADROOM_BYTES;
  const breakdown = `models about ${gib(models)}${unknown.length > 0 ? ` (size unknown: ${unknown.join(", ")})` : ""}, images about ${gib(images)}, data ${gib(DATA_HEADROOM_BYTES)}`;
  if (free === null) out.push(check("disk", "skip", `free disk not checked; the stack needs about ${gib(needed)}: ${breakdown}`));
  else if (free < needed)
    out.push(
      check(
        "disk",
        "warn",
        `${gib(free)} free on the disk holding ./data, the stack needs about ${gib(needed)}: ${breakdown}`,
        "free some space, or choose smaller models",
      ),
    );
  else out.push(check("disk", "ok", `${gib(free)} free on the disk holding ./data; the stack needs about ${gib(needed)}`));
}

async function portChecks(input: DoctorInput, out: CheckResult[]): Promise<void> {
  const claims = portClaims(input.config);
  for (const service of input.stack.services) {
    for (const published of service.ports) {
      // No host IP means every interface (Traefik with Let's Encrypt): test the wildcard address.
      const port = { ...published, hostIp: published.hostIp ?? "0.0.0.0" };
      const where = `${port.hostIp}:${port.hostPort} (${service.name})`;
      const claim = claims.find((c) => c.port === port.hostPort);
      const setting = claim ? (claim.setting ?? claim.path) : "the port";
      const state = await input.host.portState(port.hostIp, port.hostPort);
      if (state === "free") out.push(check(`port-${port.hostPort}`, "ok", `port ${where} is free`));
      else if (state === "in-use")
        out.push(
          check(
            `port-${port.hostPort}`,
            "warn",
            `port ${where} is in use (fine if this stack is already running)`,
            `stop what listens there (ss -ltnp 'sport = :${port.hostPort}') or change ${setting}`,
          ),
        );
      else if (state === "unavailable")
        out.push(
          check(
            `port-${port.hostPort}`,
            "fail",
            `${port.hostIp} is not an address of this machine, so ${where} cannot be published`,
            "set bindAddress to 127.0.0.1, 0.0.0.0 or one of this host's addresses",
          ),
        );
      else out.push(check(`port-${port.hostPort}`, "skip", `port ${where} not checked (binding it for a test was refused)`));
    }
  }
}

async function composeConfigCheck(input: DoctorInput, compose: boolean): Promise<CheckResult> {
  if (!compose) return check("compose-config", "skip", "docker compose config not run: needs Docker Compose v2");
  if (!input.composeFileExists) return check("compose-config", "warn", "docker-compose.yml not generated yet", "run llm generate");
  const result = await input.host.run("docker", ["compose", "-f", "docker-compose.yml", "config", "-q"], { cwd: input.outDir });
  if (result && result.code === 0) return check("compose-config", "ok", "docker compose config -q accepts docker-compose.yml");
  return check(
    "compose-config",
    "fail",
    `docker compose config -q rejects docker-compose.yml: ${result ? firstLine(result) : "could not run"}`,
    "run llm generate again; if it persists, report it with your config",
  );
}

export async function runChecks(input: DoctorInput): Promise<CheckResult[]> {
  if (input.stack.target === "kubernetes") {
    const out = await clusterChecks(input.config, input.stack, input.host);
    endOfLifeChecks(input, out);
    return out;
  }
  const out: CheckResult[] = [];
  const { reachable, compose } = await dockerChecks(input.host, out);
  const vendor = input.config.ollama?.gpu?.vendor ?? "none";
  if (vendor === "nvidia") await nvidiaChecks(input.host, reachable, out);
  if (vendor === "amd") await amdChecks(input.host, out);
  out.push(await cpuCheck(input));
  endOfLifeChecks(input, out);
  await memoryChecks(input, out);
  await diskCheck(input, out);
  await portChecks(input, out);
  out.push(await composeConfigCheck(input, compose));
  return out;
}
