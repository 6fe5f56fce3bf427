// Warnings: what a run noticed and did not refuse. On stderr, so piped output stays the result.
import type { Notice } from "../stack/types.js";
import type { CliIO } from "./io.js";
import { styleOf } from "./style.js";

export function printWarnings(io: CliIO, warnings: readonly Notice[], configFile: string): void {
  if (warnings.length === 0) return;
  const s = styleOf(io);
  const lines = warnings.map((w) => `${s.yellow("warning")}: ${configFile}${w.path ? `: ${w.path}` : ""}: ${w.message}${w.hint ? `\n    fix: ${w.hint}` : ""}`);
  io.stderr(`${lines.join("\n")}\n`);
}
