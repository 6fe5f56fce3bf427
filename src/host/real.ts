// The real machine behind HostProbe: child processes, /proc files, statfs and a trial bind.
import { execFile } from "node:child_process";
import { access, readFile, statfs } from "node:fs/promises";
import { createServer } from "node:net";
import { path } from "../util/path.js";
import type { HostProbe, PortState, RunResult } from "./types.js";

const TIMEOUT_MS = 15_000;

function run(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<RunResult | null> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd: options.cwd, timeout: TIMEOUT_MS, encoding: "utf8", maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      // execFile reports "not installed" as code "ENOENT" and a failed run as a numeric exit code.
      const err = error as { code?: string | number; killed?: boolean } | null;
      if (err?.code === "ENOENT") return resolve(null);
      const code = err ? (typeof err.code === "number" ? err.code : err.killed ? null : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function freeDiskBytes(target: string): Promise<number | null> {
  // The output folder may not exist yet: measure the nearest existing parent.
  let current = path.resolve(target);
  for (;;) {
    try {
      const stats = await statfs(current);
      return stats.bavail * stats.bsize;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return null;
      current = parent;
    }
  }
}

function portState(host: string, port: number): Promise<PortState> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      resolve(error.code === "EADDRINUSE" ? "in-use" : error.code === "EADDRNOTAVAIL" ? "unavailable" : "unknown");
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve("free")));
  });
}

export function realHost(): HostProbe {
  return {
    run,
    readFile: (file) => readFile(file, "utf8").catch(() => null),
    exists: (file) =>
      access(file).then(
        () => true,
        () => false,
      ),
    freeDiskBytes,
    // node:os only here: doctor and init, never an everyday run.
    totalMemoryBytes: async () => {
      const { totalmem } = await import("node:os");
      const bytes = totalmem();
      return bytes > 0 ? bytes : null;
    },
    portState,
  };
}
