// Security: Traefik terminates HTTPS for chat.example.com with a Let's Encrypt certificate and is
// the only service with published ports (80, 443). Point the domain's DNS at this machine first.
import { defineConfig } from "local-llm-stack";

export default defineConfig({
  presets: ["cpu"],
  models: ["llama3.2:3b"],
  librechat: { registration: false },
  security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" },
});
