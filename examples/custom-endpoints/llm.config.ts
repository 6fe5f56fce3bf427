// Ollama plus a hosted OpenAI-compatible endpoint whose key stays in secrets.env, and settings
// whose values need careful quoting in YAML and .env.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  models: ["llama3.2:3b", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M"],
  bindAddress: "0.0.0.0",
  librechat: {
    title: "Team \"Chat\" #1: it's $HOME",
    domain: "https://chat.example.com",
    port: 8080,
    env: {
      CUSTOM_FOOTER: "Costs $5/month # not a comment: 'quoted' and \"double\"",
      HELP_AND_FAQ_URL: "https://example.com/help?a=1&b=2",
      MULTI_LINE_NOTE: "line one\nline two\\n stays literal",
    },
    endpoints: [
      {
        name: "OpenRouter",
        apiKey: "${OPENROUTER_KEY}",
        baseURL: "https://openrouter.ai/api/v1",
        models: { default: ["meta-llama/llama-3.1-70b-instruct"], fetch: true },
        titleModel: "meta-llama/llama-3.1-8b-instruct",
      },
    ],
  },
});
