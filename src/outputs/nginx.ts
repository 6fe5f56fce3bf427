import { moduleOf } from "./module.js";
import { header, type OutputDefinition } from "./types.js";

/** A replica failing this many times within FAIL_TIMEOUT is skipped for FAIL_TIMEOUT. */
const MAX_FAILS = 2;
const FAIL_TIMEOUT = "10s";
/** Docker's embedded DNS server, and how long nginx trusts an answer before asking again. */
const DOCKER_DNS = "127.0.0.11";
const DNS_VALID = "10s";

export const nginxConf: OutputDefinition = {
  path: "nginx/nginx.conf",
  template: "nginx.conf",
  syntax: "text",
  applies: (stack) => stack.modules.scaling !== undefined,
  view: ({ stack, configFile }) => {
    const scaling = moduleOf(stack, "scaling");
    return {
      header: header(configFile),
      clientMaxBodySize: scaling.clientMaxBodySize,
      resolver: DOCKER_DNS,
      dnsValid: DNS_VALID,
      healthPath: scaling.healthPath,
      upstreams: scaling.upstreams.map((upstream) => ({
        name: upstream.name,
        listenPort: upstream.listenPort,
        summary: `${upstream.name}: ${upstream.servers.length} replica${upstream.servers.length === 1 ? "" : "s"} behind port ${upstream.listenPort}`,
        servers: upstream.servers.map((address) => ({ address, maxFails: MAX_FAILS, failTimeout: FAIL_TIMEOUT })),
        // Every replica may be tried once before the request fails.
        tries: upstream.servers.length,
      })),
    };
  },
};
