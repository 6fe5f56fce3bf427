// Traefik v3: a static file (entry points, certificates, file provider) and a dynamic file
// (routers, services, middlewares) the file provider watches.
import type { Route, SecurityModule } from "../stack/types.js";
import { moduleOf } from "./module.js";
import { header, type OutputDefinition } from "./types.js";

export const CERT_RESOLVER = "letsencrypt";
const securityOn = (stack: Parameters<OutputDefinition["applies"]>[0]) => stack.modules.security !== undefined;

export const traefikStatic: OutputDefinition = {
  path: "traefik/traefik.yml",
  template: "traefik.yml",
  syntax: "yaml",
  applies: securityOn,
  view: ({ stack, configFile }) => {
    const security = moduleOf(stack, "security");
    return {
      header: header(configFile),
      metrics: security.metrics,
      internalPort: security.internalPort,
      resolver: CERT_RESOLVER,
      acme: security.acme ? { email: security.acme.email, storage: security.acme.storage, caServer: security.acme.caServer ?? null } : null,
    };
  },
};

function middlewaresFor(route: Route): string[] {
  return route.adminAuth ? ["security-headers", "admin-auth", "rate-limit"] : ["security-headers", "rate-limit"];
}

function dynamicConfig(security: SecurityModule) {
  const tls = security.acme ? { certResolver: CERT_RESOLVER } : {};
  const routers = Object.fromEntries(
    security.routes.map((route) => [
      route.name,
      { rule: `Host(\`${route.host}\`)`, entryPoints: ["websecure"], middlewares: middlewaresFor(route), service: route.name, tls },
    ]),
  );
  const services = Object.fromEntries(
    security.routes.map((route) => [route.name, { loadBalancer: { passHostHeader: true, servers: route.servers.map((url) => ({ url })) } }]),
  );
  const middlewares: Record<string, unknown> = {
    "security-headers": {
      headers: {
        stsSeconds: 31536000,
        stsIncludeSubdomains: true,
        contentTypeNosniff: true,
        frameDeny: true,
        referrerPolicy: "strict-origin-when-cross-origin",
      },
    },
    "rate-limit": { rateLimit: { average: security.rateLimit.average, burst: security.rateLimit.burst, period: "1s" } },
  };
  if (security.usersFile) {
    // removeHeader: Grafana would otherwise try the proxy's basic-auth credentials as its own login.
    middlewares["admin-auth"] = { basicAuth: { usersFile: security.usersFile, realm: "local-llm-stack admin", removeHeader: true } };
  }
  return { routers, services, middlewares };
}

export const traefikDynamic: OutputDefinition = {
  path: "traefik/dynamic.yml",
  template: "traefik-dynamic.yml",
  syntax: "yaml",
  applies: securityOn,
  view: ({ stack, configFile }) => {
    const security = moduleOf(stack, "security");
    return { header: header(configFile), selfSigned: security.acme === undefined, adminAuth: security.usersFile !== undefined, ...dynamicConfig(security) };
  },
};
