// An old 8 GiB laptop without AVX: one small model at a time, quantized KV cache, mongo:4.4.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu", "low-ram"],
  models: ["llama3.2:1b"],
  mongodb: { avx: false },
});
