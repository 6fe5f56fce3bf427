import type { Service, Stack } from "../stack/types.js";
import { header, type OutputDefinition } from "./types.js";

/** Compose interpolates `$` everywhere in the file; `$$` is a literal dollar. */
function escapeDollars<T>(value: T): T {
  if (typeof value === "string") return (value.includes("$") ? value.replace(/\$/g, "$$$$") : value) as T;
  if (Array.isArray(value)) return value.map(escapeDollars) as T;
  if (value && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = escapeDollars((value as Record<string, unknown>)[key]);
    return copy as T;
  }
  return value;
}

function serviceBody(service: Service): Record<string, unknown> {
  const body: Record<string, unknown> = { image: service.image };
  if (service.entrypoint) body["entrypoint"] = service.entrypoint;
  if (service.command) body["command"] = service.command;
  body["restart"] = service.restart;
  if (service.user) body["user"] = service.user;
  if (service.pid) body["pid"] = service.pid;
  if (service.envFiles.length > 0) body["env_file"] = service.envFiles;
  if (service.environment.length > 0) body["environment"] = Object.fromEntries(service.environment);
  if (service.ports.length > 0) body["ports"] = service.ports.map((p) => `${p.hostIp ? `${p.hostIp}:` : ""}${p.hostPort}:${p.containerPort}`);
  if (service.mounts.length > 0) {
    body["volumes"] = service.mounts.map((m) => {
      const options = [...(m.readOnly ? ["ro"] : []), ...(m.propagation ? [m.propagation] : [])];
      return `${m.source}:${m.target}${options.length > 0 ? `:${options.join(",")}` : ""}`;
    });
  }
  if (service.devices.length > 0) body["devices"] = service.devices.map((d) => `${d}:${d}`);
  if (service.privileged) body["privileged"] = true;
  if (service.healthcheck) {
    const h = service.healthcheck;
    body["healthcheck"] = {
      test: h.test,
      interval: h.interval,
      timeout: h.timeout,
      retries: h.retries,
      start_period: h.startPeriod,
      start_interval: h.startInterval,
    };
  }
  if (service.dependsOn.length > 0) {
    body["depends_on"] = Object.fromEntries(service.dependsOn.map((d) => [d.service, { condition: d.condition, ...(d.restart ? { restart: true } : {}) }]));
  }
  const resources: Record<string, unknown> = {};
  if (Object.keys(service.limits).length > 0) resources["limits"] = { ...service.limits };
  if (service.gpu) {
    const { driver, count, deviceIds } = service.gpu;
    resources["reservations"] = {
      devices: [{ driver, ...(deviceIds ? { device_ids: deviceIds } : { count }), capabilities: ["gpu"] }],
    };
  }
  if (Object.keys(resources).length > 0) body["deploy"] = { resources };
  return escapeDollars(body);
}

function composeView(stack: Stack, configFile: string) {
  return {
    header: header(configFile),
    name: stack.name,
    services: stack.services.map((service) => ({ name: service.name, summary: service.summary, body: serviceBody(service) })),
    hasVolumes: stack.namedVolumes.length > 0,
    volumes: Object.fromEntries(stack.namedVolumes.map((name) => [name, {}])),
  };
}

export const dockerCompose: OutputDefinition = {
  path: "docker-compose.yml",
  template: "docker-compose.yml",
  syntax: "yaml",
  applies: () => true,
  view: ({ stack, configFile }) => composeView(stack, configFile),
};
