// test/fixtures/adopt: a LibreChat folder built from LibreChat v0.8.7's own files (its README).
import path from "node:path";
import { ROOT } from "./paths.js";

export const FIXTURE = path.join(ROOT, "test", "fixtures", "adopt");
/** The values its .env holds (see its README): none may be printed or lost. */
export const FIXTURE_SECRETS: Record<string, string> = {
  CREDS_KEY: "f4d33e2a3f98c7a8d8b2a4cf960e33d506e5ad4d6839075ac08c5ae0bf3ce656",
  CREDS_IV: "75493bb662eb5cb493d6fd489fde581c",
  JWT_SECRET: "89627476aa5ea307259d87dc13ffd4dffe1dcdae0b886722a342a9d42ab2452f",
  JWT_REFRESH_SECRET: "4001744e5caf664d7112618c1fef8479f0933d30d074e324a5ff9fa99deecf85",
  MEILI_MASTER_KEY: "IP97fFtn6Dca5Q4BxPp6PT0cYo92nWn7GuqHq04EdWw",
  OPENAI_API_KEY: "sk-proj-Bj7vyefRIelsrUB6Q0X7OJdNybGVtP3ytAdto5OPZmZ2GPUllLqN8SKB4aFHlFEqBQh5kqWfK933",
  GROQ_API_KEY: "gsk_961ca3d12273851ae02c855b59ed619ad8732cbb1167fc12",
  OPENROUTER_KEY: "sk-or-v1-EchdSR23uDDRJEL0lAZcMmWxspi9ooEmc9tupctR",
};
