// Runs a command in private namespaces: its own network (only a loopback interface, so servers in
// it can use any 127.x address and port without touching the host's), its own mounts (a temporary
// /etc/hosts maps compose service names to loopback addresses without editing any generated file)
// and its own PIDs (when the command ends, everything it started ends with it).
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { removeDir, tempDir } from "./workspace.js";

const SETUP = 'mount --bind "$1" /etc/hosts && ip link set lo up && shift && exec "$@"';

/** Root uses the namespaces directly; anyone else gets them inside a user namespace. */
function unshareArgs(): string[] {
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return [...(asRoot ? [] : ["--user", "--map-root-user"]), "--mount", "--net", "--pid", "--fork", "--kill-child"];
}

export function runWithHosts(hosts: Record<string, string>, argv: string[], options: { timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  const dir = tempDir("llm-netns-");
  try {
    const hostsFile = path.join(dir, "hosts");
    const lines = ["127.0.0.1 localhost", ...Object.entries(hosts).map(([name, address]) => `${address} ${name}`)];
    writeFileSync(hostsFile, `${lines.join("\n")}\n`);
    return spawnSync("unshare", [...unshareArgs(), "--", "/bin/sh", "-c", SETUP, "sh", hostsFile, ...argv], {
      encoding: "utf8",
      timeout: options.timeoutMs ?? 60_000,
      killSignal: "SIGKILL",
      env: { PATH: `${process.env["PATH"] ?? ""}:/usr/sbin:/sbin` },
    });
  } finally {
    removeDir(dir);
  }
}

/** Each upstream host gets its own loopback address, so replicas can share one port. */
export function loopbackAddresses(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name, i) => [name, `127.0.1.${i + 1}`]));
}

/** `server host:port` lines of every upstream block in an nginx.conf. */
export function nginxUpstreamServers(conf: string): { host: string; port: number }[] {
  return [...conf.matchAll(/^\s*server\s+([A-Za-z0-9.-]+):(\d+)\b/gm)].map((m) => ({ host: m[1]!, port: Number(m[2]) }));
}
