/** One problem found in an input, located precisely enough to fix without guessing. */
export interface Diagnostic {
  /** The file the bad value came from, relative to the working directory. */
  file: string;
  /** Where in that file: a dotted path such as `ollama.memory` or `models[2]`; "" for the whole file. */
  path: string;
  message: string;
  hint?: string;
}

export type ErrorCode =
  | "CONFIG_NOT_FOUND"
  | "CONFIG_AMBIGUOUS"
  | "CONFIG_LOAD_FAILED"
  | "CONFIG_TIMEOUT"
  | "CONFIG_INVALID"
  | "PRESET_UNKNOWN"
  | "PRESET_CONFLICT"
  | "SECRETS_INVALID"
  | "SECRET_LOST"
  | "OUTPUT_INVALID"
  | "READ_FAILED"
  | "WRITE_FAILED"
  | "WRITE_INTERRUPTED"
  | "MANIFEST_INVALID"
  | "OUTPUT_EDITED"
  | "FOREIGN_SECRETS"
  | "SYMLINK_REFUSED"
  | "JOURNAL_INVALID"
  | "LOCKED"
  | "USAGE"
  | "OLLAMA_UNREACHABLE"
  | "OLLAMA_ERROR"
  | "MODEL_NOT_FOUND"
  | "MODEL_DECLARED"
  | "CONFIRMATION_REQUIRED"
  | "INTERRUPTED"
  | "CONFIG_EXISTS"
  | "SECRET_UNKNOWN"
  | "SECRETS_NOT_FOUND"
  | "DATA_MIGRATION_REQUIRED"
  | "CONFIG_EDIT_REFUSED"
  | "BACKUP_UNSUPPORTED"
  | "DOCKER_UNAVAILABLE"
  | "SERVICE_STOPPED"
  | "BACKUP_FAILED"
  | "BACKUP_NOT_FOUND"
  | "BACKUP_INCOMPLETE"
  | "BACKUP_CORRUPT"
  | "BACKUP_MISMATCH"
  | "IMAGE_MISMATCH"
  | "RESTORE_FAILED";

/** The single error type the core returns; only the CLI turns it into text and an exit code. */
export class LlmError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: ErrorCode, message: string, options: { hint?: string; diagnostics?: Diagnostic[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LlmError";
    this.code = code;
    this.hint = options.hint;
    this.diagnostics = options.diagnostics ?? [];
  }
}

/** A broken promise inside the tool itself (a rule one stage guarantees and another relies on),
 * never a user's mistake: the CLI reports it as a bug to report, with its stack. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InternalError";
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: LlmError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: LlmError): Result<T> => ({ ok: false, error });

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path ? `${d.file}: ${d.path}` : d.file;
  return d.hint ? `${where}: ${d.message}\n    fix: ${d.hint}` : `${where}: ${d.message}`;
}
