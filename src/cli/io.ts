import type { HostProbe } from "../host/types.js";

/** Everything a command may touch outside the core; the bin passes the real process. */
export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colors, progress). */
  isTTY: boolean;
  /** The terminal's width now (it follows resizes); undefined when stdout is no terminal. */
  columns?: () => number | undefined;
  /** Asks a question on the terminal and resolves with the answer; absent when stdin is not a terminal. */
  prompt?: (question: string) => Promise<string>;
  /** Asks on the terminal without echoing what is typed (a secret); absent when stdin is not a terminal. */
  promptHidden?: (question: string) => Promise<string>;
  /** All of stdin (a piped secret); absent when stdin is a terminal. */
  readStdin?: () => Promise<string>;
  /** Aborted on Ctrl-C: long operations (model pulls) stop cleanly instead of dying mid-write. */
  signal?: AbortSignal;
  /** Milliseconds since the epoch; tests pass a fake clock so rates and ages are deterministic. */
  now?: () => number;
  /** Whether output may use ANSI colors. `main` sets it from --color/--no-color, NO_COLOR,
   * FORCE_COLOR and isTTY before any command runs. */
  color?: boolean;
  /** The machine `init` and `doctor` inspect (commands, /proc files, disk, ports). Absent: the
   * real machine. Tests pass fakes. */
  host?: HostProbe;
}

export const EXIT = {
  OK: 0,
  /** Differences found (`diff`, `generate --check`), like `git diff --exit-code`. */
  DIFFERENT: 1,
  /** The config, a preset, the secrets file or the command line is invalid. */
  INVALID: 2,
  /** Files could not be read or written. */
  IO: 3,
  /** Refused: generated files were edited by hand (`--force` overwrites), or another run holds the lock. */
  REFUSED: 4,
  /** `llm outdated`: an image is behind the catalog and a security advisory fixed since applies to it. */
  ADVISORY: 10,
  /** Ollama is not reachable, or failed an operation (`llm models`). */
  UNAVAILABLE: 69,
  /** A bug: please report it. */
  INTERNAL: 70,
  /** Stopped by Ctrl-C (128 + SIGINT), like a shell reports it. */
  INTERRUPTED: 130,
} as const;
