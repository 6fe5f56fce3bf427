import { formatDiagnostic, type LlmError } from "../errors.js";
import { EXIT, type CliIO } from "./io.js";
import { styleOf } from "./style.js";

export function exitCodeFor(error: LlmError): number {
  switch (error.code) {
    case "READ_FAILED":
    case "WRITE_FAILED":
    case "WRITE_INTERRUPTED":
    case "JOURNAL_INVALID":
    case "BACKUP_FAILED":
    case "RESTORE_FAILED":
      return EXIT.IO;
    case "OUTPUT_EDITED":
    case "FOREIGN_SECRETS":
    case "SYMLINK_REFUSED":
    case "LOCKED":
    case "CONFIG_EDIT_REFUSED":
    case "IMAGE_MISMATCH":
      return EXIT.REFUSED;
    case "OUTPUT_INVALID":
      return EXIT.INTERNAL;
    case "OLLAMA_UNREACHABLE":
    case "OLLAMA_ERROR":
    case "DOCKER_UNAVAILABLE":
    case "SERVICE_STOPPED":
      return EXIT.UNAVAILABLE;
    case "INTERRUPTED":
      return EXIT.INTERRUPTED;
    default:
      return EXIT.INVALID;
  }
}

/** An error as `--json` output carries it. */
export function errorJson(error: LlmError): { code: string; message: string; hint: string | undefined; diagnostics: LlmError["diagnostics"] } {
  return { code: error.code, message: error.message, hint: error.hint, diagnostics: error.diagnostics };
}

export function reportError(io: CliIO, error: LlmError, json: boolean): number {
  if (json) {
    io.stdout(`${JSON.stringify({ ok: false, error: errorJson(error) }, null, 2)}\n`);
    return exitCodeFor(error);
  }
  const s = styleOf(io);
  const lines = [`${s.bold(s.red(`error ${error.code}`))}: ${error.message}`];
  for (const d of error.diagnostics) lines.push(`  ${formatDiagnostic(d).replace(/\n/g, "\n  ")}`);
  if (error.hint) lines.push(`${s.yellow("hint")}: ${error.hint}`);
  io.stderr(`${lines.join("\n")}\n`);
  return exitCodeFor(error);
}
