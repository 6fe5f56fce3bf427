// RAG: chat with your files. rag_api embeds uploads with nomic-embed-text in the stack's own
// Ollama and keeps the vectors in PostgreSQL with pgvector (data/pgvector-pg15); both stay
// internal. Two models loaded at once, so an embedding does not push the chat model out.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu"],
  models: ["llama3.2:3b"],
  ollama: { maxLoadedModels: 2 },
  rag: { enabled: true },
});
