// Scaling: three LibreChat replicas behind nginx with Redis for shared sessions, and two Ollama
// instances, one per NVIDIA GPU, balanced the same way.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["nvidia"],
  models: ["llama3.1:8b"],
  ollama: { gpu: { count: null, deviceIds: ["0", "1"] } },
  scaling: { enabled: true, librechatReplicas: 3, ollamaReplicas: 2 },
});
