// Golden files: each example folder holds the files `llm generate` writes for its config.
import { cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { listFiles } from "./workspace.js";

/** Files a generate run leaves that are not golden: the input and the per-machine secrets (the
 * secrets file and the private files derived from it under secrets/). */
const NOT_GOLDEN = new Set(["llm.config.ts", "secrets.env"]);
export const isGolden = (file: string): boolean => !NOT_GOLDEN.has(file) && !file.startsWith(`data${path.sep}`) && !file.startsWith(`secrets${path.sep}`);

export const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

/** Differences between a fresh generate output and the committed golden folder. */
export function goldenProblems(generatedDir: string, goldenDir: string): string[] {
  const generated = listFiles(generatedDir).filter(isGolden);
  const golden = listFiles(goldenDir).filter(isGolden);
  const problems: string[] = [];
  for (const file of generated) {
    if (!golden.includes(file)) problems.push(`missing golden file ${file} (run with UPDATE_GOLDEN=1 to write it)`);
    else if (readFileSync(path.join(generatedDir, file), "utf8") !== readFileSync(path.join(goldenDir, file), "utf8"))
      problems.push(`${file} differs from its golden copy`);
  }
  for (const file of golden) if (!generated.includes(file)) problems.push(`golden file ${file} is no longer generated`);
  return problems;
}

export function updateGolden(generatedDir: string, goldenDir: string): void {
  for (const file of listFiles(goldenDir).filter(isGolden)) rmSync(path.join(goldenDir, file));
  for (const file of listFiles(generatedDir).filter(isGolden)) {
    mkdirSync(path.dirname(path.join(goldenDir, file)), { recursive: true });
    cpSync(path.join(generatedDir, file), path.join(goldenDir, file));
  }
}
