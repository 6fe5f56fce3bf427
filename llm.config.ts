// The repo's own stack: a working default. `npm run llm -- generate` writes the stack beside it.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu"],
  models: ["llama3.2:3b", "nomic-embed-text"],
  librechat: { title: "Local LLM Stack" },
});
