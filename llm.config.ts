// The repo's own stack: a working default with every optional module on. `npm run llm -- generate`
// writes the stack beside it; after `docker compose up -d`, open https://localhost (Traefik's
// self-signed certificate) and, for dashboards, https://grafana.localhost.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu"],
  models: ["llama3.2:3b", "nomic-embed-text"],
  librechat: { title: "Local LLM Stack" },
  monitoring: { enabled: true },
  security: { enabled: true, domain: "localhost", certificates: "self-signed" },
  scaling: { enabled: true, librechatReplicas: 2 },
  // RAG embeds with a second model: two loaded at once, so an embedding does not unload the chat model.
  ollama: { maxLoadedModels: 2 },
  rag: { enabled: true },
});
