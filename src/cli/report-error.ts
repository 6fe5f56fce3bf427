import { LlmError, formatDiagnostic } from "../errors.js";
import { EXIT, type CliIO } from "./io.js";
import { styleOf } from "./style.js";

export function exitCodeFor(error: LlmError): number {
  switch (error.code) {
    case "WRITE_FAILED":
      return EXIT.IO;
    case "OUTPUT_INVALID":
      return EXIT.INTERNAL;
    default:
      return EXIT.INVALID;
  }
}

export function reportError(io: CliIO, error: LlmError, json: boolean): number {
  if (json) {
    io.stdout(`${JSON.stringify({ ok: false, error: { code: error.code, message: error.message, hint: error.hint, diagnostics: error.diagnostics } }, null, 2)}\n`);
    return exitCodeFor(error);
  }
  const s = styleOf(io);
  const lines = [`${s.bold(s.red(`error ${error.code}`))}: ${error.message}`];
  for (const d of error.diagnostics) lines.push(`  ${formatDiagnostic(d).replace(/\n/g, "\n  ")}`);
  if (error.hint) lines.push(`${s.yellow("hint")}: ${error.hint}`);
  io.stderr(`${lines.join("\n")}\n`);
  return exitCodeFor(error);
}
