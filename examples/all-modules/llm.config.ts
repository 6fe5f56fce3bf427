// Every module at once: two LibreChat replicas behind nginx and Redis, both pointing at one rag_api
// (chat with files, embeddings by nomic-embed-text in Ollama, vectors in pgvector), Traefik with
// Let's Encrypt (staging CA while trying it out) in front, and monitoring routed through Traefik
// with basic auth on grafana.chat.example.com and prometheus.chat.example.com. The same stack for
// Kubernetes too (kustomization.yaml, kubernetes/): an Ingress with cert-manager instead of
// Traefik, the LibreChat pods sharing their files on a ReadWriteMany class.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu"],
  models: ["llama3.2:3b", "nomic-embed-text"],
  monitoring: { enabled: true },
  security: { enabled: true, domain: "chat.example.com", email: "ops@example.com", staging: true },
  scaling: { enabled: true, librechatReplicas: 2 },
  targets: ["compose", "kubernetes"],
  kubernetes: { storage: { sharedClass: "nfs-client" } },
  // RAG embeds with a second model: two loaded at once, so an embedding does not unload the chat model.
  ollama: { maxLoadedModels: 2 },
  rag: { enabled: true },
});
