// Parse every rendered file back: a file that does not parse is a bug caught at generate time,
// not at `docker compose up`.
import { parseDocument } from "yaml";
import type { OutputDefinition } from "./types.js";

const ENV_LINE = /^[A-Za-z_][A-Za-z0-9_]*=('[^'\n]*'|"(?:[^"\\\n]|\\.)*"|[A-Za-z0-9_./:@%+,=-]*)$/;

export function syntaxProblems(output: OutputDefinition, text: string): string[] {
  if (output.syntax === "yaml") {
    const doc = parseDocument(text, { version: "1.1", uniqueKeys: true });
    return [...doc.errors, ...doc.warnings].map((e) => e.message);
  }
  if (output.syntax === "json") {
    try {
      JSON.parse(text);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  }
  if (output.syntax === "env") {
    return text
      .split("\n")
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => line !== "" && !line.startsWith("#") && !ENV_LINE.test(line))
      .map(({ i }) => `line ${i + 1} is not KEY=VALUE`);
  }
  return [];
}
