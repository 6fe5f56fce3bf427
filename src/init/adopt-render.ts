// The config `llm init --from` writes: the adopted data as a TypeScript object literal, with the
// notes and the settings it could not carry as comments above it.
import { renderTemplate } from "../render/engine.js";
import type { Adoption } from "./adopt.js";

const WIDTH = 100;
const key = (name: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name));

/** `value` as TypeScript source: on one line when it fits, otherwise one entry a line. */
function tsLiteral(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    const items = value.map((item) => tsLiteral(item, `${indent}  `));
    const inline = `[${items.join(", ")}]`;
    if (!inline.includes("\n") && inline.length + indent.length <= WIDTH) return inline;
    return `[\n${items.map((item) => `${indent}  ${item},\n`).join("")}${indent}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([name, item]) => `${key(name)}: ${tsLiteral(item, `${indent}  `)}`);
    if (entries.length === 0) return "{}";
    const inline = `{ ${entries.join(", ")} }`;
    if (!inline.includes("\n") && inline.length + indent.length <= WIDTH) return inline;
    return `{\n${entries.map((entry) => `${indent}  ${entry},\n`).join("")}${indent}}`;
  }
  return JSON.stringify(value);
}

export function renderAdoptedConfig(adoption: Adoption, data: Record<string, unknown>, reasons: readonly string[]): string {
  const view = {
    reasons,
    notes: adoption.notes,
    unmapped: adoption.unmapped.map((u) => `${u.file}: ${u.path}: ${u.reason}`),
    secretCount: adoption.secrets.length,
    body: tsLiteral(data),
  };
  return `${renderTemplate("adopt-config.ts", view)
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n+$/, "")}\n`;
}
