// Hardware → presets and a first model, each with the reason a person can check.
import type { PresetName } from "../config/types.js";
import { GIB, gib } from "../util/bytes.js";
import type { Hardware } from "./detect.js";

/** The low-ram preset targets hosts with about 8 GiB; /proc/meminfo reports a little less than
 * the installed size, and the default limits add up to 12 GiB. */
const LOW_RAM_MAX_GIB = 12;
/** A GPU this large runs an 8B model comfortably at 4-bit quantization. */
const LARGE_GPU_MIB = 10 * 1024;

export const MODELS = { small: "llama3.2:1b", default: "llama3.2:3b", large: "llama3.1:8b" } as const;

export interface Suggestion {
  presets: PresetName[];
  models: string[];
  /** false when the CPU lacks AVX: MongoDB 5+ cannot run, mongo:4.4 is used. */
  mongodbAvx: boolean | undefined;
  reasons: string[];
}

function gpuWords(hw: Hardware): string {
  const names = hw.nvidiaGpus.map((g) => (g.memoryMiB === null ? g.name : `${g.name} (${gib(g.memoryMiB * 1024 ** 2)})`));
  return `${hw.nvidiaGpus.length === 1 ? "NVIDIA GPU" : `${hw.nvidiaGpus.length} NVIDIA GPUs`} found by nvidia-smi: ${names.join(", ")}`;
}

export function suggest(hw: Hardware): Suggestion {
  const reasons: string[] = [];
  const presets: PresetName[] = [];
  if (hw.nvidiaGpus.length > 0) {
    presets.push("nvidia");
    reasons.push(`${gpuWords(hw)} → preset "nvidia"`);
  } else if (hw.amdKfd) {
    presets.push("amd");
    reasons.push(`/dev/kfd exists (AMD ROCm driver)${hw.nvidiaError ? "" : ", no NVIDIA GPU"} → preset "amd"`);
  } else {
    presets.push("cpu");
    reasons.push(`no GPU found (no working nvidia-smi, no /dev/kfd) → preset "cpu"`);
  }
  if (hw.nvidiaError) reasons.push(`nvidia-smi is installed but failed ("${hw.nvidiaError}"): check the NVIDIA driver, then run \`llm init --force\` again`);

  if (!hw.memory) {
    reasons.push(`RAM unknown (no /proc/meminfo) → add "low-ram" if this host has ${LOW_RAM_MAX_GIB} GiB or less`);
  } else if (hw.memory.totalBytes <= LOW_RAM_MAX_GIB * GIB) {
    presets.push("low-ram");
    reasons.push(`${gib(hw.memory.totalBytes)} of RAM (${LOW_RAM_MAX_GIB} GiB or less) → preset "low-ram"`);
  } else {
    reasons.push(`${gib(hw.memory.totalBytes)} of RAM → "low-ram" not needed`);
  }

  let mongodbAvx: boolean | undefined;
  if (!hw.cpu) reasons.push("CPU flags unknown (no /proc/cpuinfo) → assuming AVX; set mongodb: { avx: false } if MongoDB will not start");
  else if (hw.cpu.avx === null) reasons.push("not an x86 CPU: the AVX check for MongoDB does not apply");
  else if (hw.cpu.avx) reasons.push("CPU has AVX → current MongoDB");
  else {
    mongodbAvx = false;
    reasons.push("CPU lacks AVX, which MongoDB 5+ needs → mongodb.avx: false (mongo:4.4)");
  }

  const largestGpu = Math.max(0, ...hw.nvidiaGpus.map((g) => g.memoryMiB ?? 0));
  let model: string;
  if (presets.includes("low-ram")) {
    model = MODELS.small;
    reasons.push(`model ${model}: small enough for low RAM`);
  } else if (largestGpu >= LARGE_GPU_MIB) {
    model = MODELS.large;
    reasons.push(`model ${model}: fits in the GPU's ${gib(largestGpu * 1024 ** 2)}`);
  } else {
    model = MODELS.default;
    reasons.push(`model ${model}: a good first model for this hardware`);
  }
  return { presets, models: [model], mongodbAvx, reasons };
}
