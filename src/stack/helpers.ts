// Small builders shared by the core services and the optional modules.
import type { ResolvedConfig } from "../config/types.js";
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
export function wgetHealth(url: string, startPeriod: string): Healthcheck {
  return { ...health(["CMD", "wget", "-q", "--spider", url], startPeriod), http: httpOf(url) };
}

/** "http://127.0.0.1:7700/health" → port 7700, path /health. */
function httpOf(url: string): { port: number; path: string } {
  const parsed = new URL(url);
  return { port: Number(parsed.port || 80), path: `${parsed.pathname}${parsed.search}` };
}

/** Kubernetes: the namespace every object goes to, the stack's name unless the config names one. */
export const namespaceOf = (config: ResolvedConfig): string => config.kubernetes.namespace ?? config.name;

/** Kubernetes: the headless Service that gives each pod of `service` a DNS name (the renderer
 * writes it under this name for StatefulSets and for services whose pods are discovered). */
export const headlessName = (service: string): string => `${service}-headless`;

/** The address of one pod of a stateful service on Kubernetes: a StatefulSet's pods are NAME-0,
 * NAME-1… under its headless Service. */
export const podHost = (service: string, index: number): string => `${service}-${index}.${headlessName(service)}`;

export const LOOPBACK = "127.0.0.1";

/** An address only this machine reaches (127.0.0.0/8, ::1). */
export const isLoopback = (address: string): boolean => address.startsWith("127.") || address === "::1" || address === "[::1]";

/** A URL's host that only this machine reaches: a loopback address, localhost or a name under .localhost (RFC 6761). */
export const isLoopbackHost = (host: string): boolean => isLoopback(host) || host === "localhost" || host.endsWith(".localhost");

type Required = Pick<Service, "name" | "summary" | "image" | "limits">;

/** A long-running service: everything not given is empty (no env, ports, mounts, devices, deps). */
export function longRunning(fields: Required & Partial<Service>): Service {
  return { environment: [], envFiles: [], ports: [], mounts: [], devices: [], dependsOn: [], restart: "unless-stopped", ...fields };
}

/** Ports inside the containers (host ports come from the config). */
export const LIBRECHAT_PORT = 3080;
export const OLLAMA_PORT = 11434;
