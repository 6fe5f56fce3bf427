// What `llm init` needs to know about the machine: GPUs, RAM, and whether the CPU has AVX.
// Every fact comes through a HostProbe, so tests feed recorded nvidia-smi and /proc outputs.
import type { HostProbe } from "../host/types.js";

export interface NvidiaGpu {
  name: string;
  memoryMiB: number | null;
}

export interface Hardware {
  /** GPUs listed by nvidia-smi; empty when it is missing or failed (see nvidiaError). */
  nvidiaGpus: NvidiaGpu[];
  /** nvidia-smi is installed but failed: usually a driver that is not loaded. */
  nvidiaError: string | null;
  /** /dev/kfd exists: the AMD ROCm kernel driver is loaded. */
  amdKfd: boolean;
  memory: { totalBytes: number; availableBytes: number | null } | null;
  /** null when /proc/cpuinfo cannot be read; avx null on CPUs without x86 flags (ARM). */
  cpu: { avx: boolean | null; cores: number; model: string | null } | null;
}

export const NVIDIA_SMI_QUERY = ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"] as const;

export function parseNvidiaSmi(csv: string): NvidiaGpu[] {
  return csv
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const cut = line.lastIndexOf(",");
      const memory = cut < 0 ? NaN : Number(line.slice(cut + 1).trim());
      return { name: (cut < 0 ? line : line.slice(0, cut)).trim(), memoryMiB: Number.isFinite(memory) ? memory : null };
    });
}

/** /proc/meminfo values are in kB (KiB). */
export function parseMeminfo(text: string): Hardware["memory"] {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : null;
  };
  const totalBytes = field("MemTotal");
  return totalBytes === null ? null : { totalBytes, availableBytes: field("MemAvailable") };
}

export function parseCpuinfo(text: string): Hardware["cpu"] {
  const cores = (text.match(/^processor\s*:/gm) ?? []).length;
  const flags = /^flags\s*:(.*)$/m.exec(text);
  const model = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? null;
  if (cores === 0 && !flags) return null;
  return { avx: flags ? flags[1]!.trim().split(/\s+/).includes("avx") : null, cores, model };
}

/** RAM from /proc/meminfo (total and available), else the OS's total alone (macOS and Windows
 * have no /proc; their "free" memory leaves out reclaimable caches, so it is not used). */
export async function readMemory(host: HostProbe): Promise<Hardware["memory"]> {
  const meminfo = await host.readFile("/proc/meminfo");
  const parsed = meminfo === null ? null : parseMeminfo(meminfo);
  if (parsed) return parsed;
  const totalBytes = await host.totalMemoryBytes();
  return totalBytes === null ? null : { totalBytes, availableBytes: null };
}

export async function detectHardware(host: HostProbe): Promise<Hardware> {
  const [smi, kfd, memory, cpuinfo] = await Promise.all([
    host.run("nvidia-smi", NVIDIA_SMI_QUERY),
    host.exists("/dev/kfd"),
    readMemory(host),
    host.readFile("/proc/cpuinfo"),
  ]);
  const smiFailed = smi !== null && smi.code !== 0;
  return {
    nvidiaGpus: smi && !smiFailed ? parseNvidiaSmi(smi.stdout) : [],
    nvidiaError: smiFailed ? (smi.stderr || smi.stdout).trim().split("\n")[0] || `exit code ${smi.code}` : null,
    amdKfd: kfd,
    memory,
    cpu: cpuinfo === null ? null : parseCpuinfo(cpuinfo),
  };
}
