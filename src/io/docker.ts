// `docker` as a child process whose stdout may be a file and stdin a file: a database dump is
// streamed straight to disk (it can be many gigabytes; nothing is held in memory), and a restore
// reads it back the same way. Used by `llm backup` and `llm restore` only.
// node:child_process loads on first use: this module is in the bundle every command loads.
import { closeSync, createReadStream, openSync } from "node:fs";

export interface DockerRun {
  /** Exit status; null when it was stopped by a signal (or the abort signal). */
  code: number | null;
  /** What it printed, when its stdout went to no file (the last 64 KiB). */
  stdout: string;
  /** The last 64 KiB of what it printed on stderr. */
  stderr: string;
}

export interface DockerOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Created (it must not exist, mode 0600) to receive stdout. */
  stdoutFile?: string;
  /** Sent on stdin. */
  stdinFile?: string;
  signal?: AbortSignal;
}

const KEEP = 64 * 1024;

function collector(): { add: (chunk: Buffer) => void; text: () => string } {
  let kept = "";
  return {
    add: (chunk) => {
      kept = (kept + chunk.toString("utf8")).slice(-KEEP);
    },
    text: () => kept,
  };
}

/** Runs `docker ARGS`; null when no `docker` is on PATH. */
export function runDocker(args: readonly string[], options: DockerOptions): Promise<DockerRun | null> {
  return new Promise((resolve, reject) => {
    let out: number | undefined;
    try {
      if (options.stdoutFile) out = openSync(options.stdoutFile, "wx", 0o600);
    } catch (error) {
      reject(error);
      return;
    }
    const child = process.getBuiltinModule("node:child_process").spawn("docker", [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.stdinFile ? "pipe" : "ignore", out ?? "pipe", "pipe"],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (out !== undefined) closeSync(out);
    const stdout = collector();
    const stderr = collector();
    child.stdout?.on("data", stdout.add);
    child.stderr?.on("data", stderr.add);
    if (options.stdinFile && child.stdin) {
      const input = createReadStream(options.stdinFile);
      // A child that exits without reading all of it closes the pipe: its exit code tells.
      child.stdin.on("error", () => undefined);
      input.on("error", (error) => child.kill() && reject(error));
      input.pipe(child.stdin);
    }
    let missing = false;
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") missing = true;
      else if (error.name !== "AbortError") reject(error);
    });
    child.on("close", (code) => {
      if (missing) resolve(null);
      else resolve({ code, stdout: stdout.text(), stderr: stderr.text() });
    });
  });
}
