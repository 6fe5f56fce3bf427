// What `init` and `doctor` ask of the machine they run on. One small interface, so tests can
// describe a whole host (a GPU, 8 GiB of RAM, no Docker) with a fake.

export interface RunResult {
  /** Exit status; null when the process was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export type PortState = "free" | "in-use" | "unavailable" | "unknown";

export interface HostProbe {
  /** Runs a program; null when it is not installed (not on PATH). */
  run(command: string, args: readonly string[], options?: { cwd?: string }): Promise<RunResult | null>;
  /** A text file's contents (e.g. /proc/meminfo); null when it cannot be read. */
  readFile(path: string): Promise<string | null>;
  exists(path: string): Promise<boolean>;
  /** Bytes available to an unprivileged user on the filesystem holding `path`; null if unknown. */
  freeDiskBytes(path: string): Promise<number | null>;
  /** The machine's RAM as the OS reports it (os.totalmem()), where /proc/meminfo is not there
   * (macOS, Windows); null if unknown. */
  totalMemoryBytes(): Promise<number | null>;
  /** Whether a TCP port can be bound on `host`: "unavailable" when the address is not on this machine. */
  portState(host: string, port: number): Promise<PortState>;
}
