// One NVIDIA workstation: every GPU reserved for Ollama, bigger models, sign-ups closed.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  name: "workstation",
  presets: ["nvidia"],
  models: ["llama3.1:8b", "qwen2.5-coder:7b", "nomic-embed-text"],
  ollama: { memory: "24g", cpus: 8, keepAlive: "30m" },
  librechat: { title: "Workstation Chat", registration: false, memory: "3g" },
});
