import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Third-party schemas live beside the repo (in ../shared), never inside it. */
export const SHARED_SCHEMAS = path.resolve(ROOT, "..", "shared", "schemas");
export const EXAMPLES = path.join(ROOT, "examples");
export const CLI = path.join(ROOT, "dist", "llm.cjs");
