// Small builders shared by the core services and the optional modules.
import type { Healthcheck, Service } from "./types.js";

export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const sortedEnv = (entries: Record<string, string>): [string, string][] => Object.entries(entries).sort(([a], [b]) => byName(a, b));

export const limits = (memory: string | undefined, cpus: number | undefined): Service["limits"] => ({
  ...(memory !== undefined ? { memory } : {}),
  ...(cpus !== undefined ? { cpus } : {}),
});

export function health(test: string[], startPeriod: string): Healthcheck {
  return { test, interval: "10s", timeout: "5s", retries: 6, startPeriod, startInterval: "2s" };
}

/** A healthcheck for images that ship busybox or alpine's wget. */
export const wgetHealth = (url: string, startPeriod: string): Healthcheck => health(["CMD", "wget", "-q", "--spider", url], startPeriod);

export const LOOPBACK = "127.0.0.1";

type Required = Pick<Service, "name" | "summary" | "image" | "limits">;

/** A long-running service: everything not given is empty (no env, ports, mounts, devices, deps). */
export function longRunning(fields: Required & Partial<Service>): Service {
  return { environment: [], envFiles: [], ports: [], mounts: [], devices: [], dependsOn: [], restart: "unless-stopped", ...fields };
}

/** Ports inside the containers (host ports come from the config). */
export const LIBRECHAT_PORT = 3080;
export const OLLAMA_PORT = 11434;
