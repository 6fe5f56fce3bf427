// A fake machine for init and doctor: recorded command outputs, /proc files, devices, disk and
// ports. Anything not described is absent (command not installed, file unreadable).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { HostProbe, PortState, RunResult } from "../../src/host/types.js";
import { ROOT } from "./paths.js";

export interface FakeHostSpec {
  /** "program arg arg" → result; a program with no entry is not installed. */
  commands?: Record<string, RunResult | string>;
  /** Readable files by absolute path (/proc/meminfo, /proc/cpuinfo). An installed program
   * called with arguments it has no entry for fails. */
  files?: Record<string, string>;
  devices?: string[];
  freeDiskBytes?: number | null;
  /** What os.totalmem() says; absent: unknown. */
  totalMemoryBytes?: number;
  ports?: Record<number, PortState>;
}

export interface FakeHost extends HostProbe {
  /** Every command run, with its working folder, in order. */
  calls: { command: string; cwd: string | undefined }[];
}

export const fixture = (name: string) => readFileSync(path.join(ROOT, "test", "fixtures", "host", name), "utf8");

export function fakeHost(spec: FakeHostSpec): FakeHost {
  const calls: FakeHost["calls"] = [];
  return {
    calls,
    async run(command, args, options) {
      const line = [command, ...args].join(" ");
      calls.push({ command: line, cwd: options?.cwd });
      const entry = spec.commands?.[line];
      if (entry === undefined) {
        const installed = Object.keys(spec.commands ?? {}).some((key) => key.split(" ")[0] === command);
        return installed ? { code: 1, stdout: "", stderr: `${command}: unexpected arguments in this fake: ${args.join(" ")}` } : null;
      }
      return typeof entry === "string" ? { code: 0, stdout: entry, stderr: "" } : entry;
    },
    async readFile(file) {
      return spec.files?.[file] ?? null;
    },
    async exists(file) {
      return (spec.devices ?? []).includes(file) || spec.files?.[file] !== undefined;
    },
    async freeDiskBytes() {
      return spec.freeDiskBytes === undefined ? 500 * 1024 ** 3 : spec.freeDiskBytes;
    },
    async totalMemoryBytes() {
      return spec.totalMemoryBytes ?? null;
    },
    async portState(_host, port) {
      return spec.ports?.[port] ?? "free";
    },
  };
}

/** The machines the tests describe. */
export const HOSTS = {
  nvidiaWorkstation: (): FakeHostSpec => ({
    commands: { "nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits": fixture("nvidia-smi-rtx4090.csv") },
    files: { "/proc/meminfo": fixture("meminfo-64g.txt"), "/proc/cpuinfo": fixture("cpuinfo-avx.txt") },
  }),
  nvidiaSmallRam: (): FakeHostSpec => ({
    commands: { "nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits": fixture("nvidia-smi-gtx1650.csv") },
    files: { "/proc/meminfo": fixture("meminfo-8g.txt"), "/proc/cpuinfo": fixture("cpuinfo-avx.txt") },
  }),
  nvidiaDriverBroken: (): FakeHostSpec => ({
    commands: {
      "nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits": {
        code: 9,
        stdout:
          "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n",
        stderr: "",
      },
    },
    files: { "/proc/meminfo": fixture("meminfo-64g.txt"), "/proc/cpuinfo": fixture("cpuinfo-avx.txt") },
  }),
  amdRocm: (): FakeHostSpec => ({
    devices: ["/dev/kfd", "/dev/dri"],
    files: { "/proc/meminfo": fixture("meminfo-64g.txt"), "/proc/cpuinfo": fixture("cpuinfo-avx.txt") },
  }),
  cpuOnly: (): FakeHostSpec => ({ files: { "/proc/meminfo": fixture("meminfo-64g.txt"), "/proc/cpuinfo": fixture("cpuinfo-avx.txt") } }),
  lowRamLaptop: (): FakeHostSpec => ({ files: { "/proc/meminfo": fixture("meminfo-8g.txt"), "/proc/cpuinfo": fixture("cpuinfo-avx.txt") } }),
  oldCpuNoAvx: (): FakeHostSpec => ({ files: { "/proc/meminfo": fixture("meminfo-64g.txt"), "/proc/cpuinfo": fixture("cpuinfo-noavx.txt") } }),
  armBoard: (): FakeHostSpec => ({ files: { "/proc/meminfo": fixture("meminfo-8g.txt"), "/proc/cpuinfo": fixture("cpuinfo-arm.txt") } }),
  /** A Mac or an unknown OS: no /proc, no GPU tools. */
  nothingReadable: (): FakeHostSpec => ({}),
};
