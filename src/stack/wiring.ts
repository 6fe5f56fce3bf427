// What the modules hand each other while they reshape the core services.
import { InternalError } from "../errors.js";
import type { Service } from "./types.js";

export interface Wiring {
  services: Service[];
  /** Names of the LibreChat services (one, or the replicas). */
  librechat: string[];
  /** The service and URL that receive chat traffic: LibreChat itself or its load balancer. */
  chatEntry: { service: string; url: string };
}

export function serviceNamed(services: readonly Service[], name: string): Service {
  const found = services.find((service) => service.name === name);
  if (!found) throw new InternalError(`no service named ${name}`);
  return found;
}

/** `from` replaced by every name in `to`, wherever a service depends on it. */
export function redirectDependencies(service: Service, from: string, to: readonly string[]): Service {
  if (!service.dependsOn.some((d) => d.service === from)) return service;
  const dependsOn = service.dependsOn.flatMap((d) => (d.service === from ? to.map((name) => ({ service: name, condition: d.condition })) : [d]));
  return { ...service, dependsOn: dependsOn.sort((a, b) => (a.service < b.service ? -1 : 1)) };
}

export const range = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);
