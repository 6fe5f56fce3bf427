// Smallest useful stack: CPU only, one small model, LibreChat on http://localhost:3080.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu"],
  models: ["llama3.2:1b"],
});
