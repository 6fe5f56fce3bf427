// An AMD GPU with ROCm: the rocm image with /dev/kfd and /dev/dri.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["amd"],
  models: ["llama3.2:3b"],
  ollama: {
    // RDNA2 cards that ROCm does not list officially run with this override.
    env: { HSA_OVERRIDE_GFX_VERSION: "10.3.0" },
  },
});
