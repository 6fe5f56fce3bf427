// Security: Traefik v3 terminates HTTPS and becomes the only service with published ports. The
// web UIs other modules offer (Grafana, Prometheus) get their own host names behind basic auth,
// whose bcrypt hash lives in a gitignored file. Traefik runs as root: its image has no other user,
// and acme.json needs a writable /data.
import type { ResolvedConfig } from "../config/types.js";
import { InternalError } from "../errors.js";
import { PRIVATE_DIR } from "../layout.js";
import { health, limits, longRunning } from "../stack/helpers.js";
import { htpasswdFile } from "../stack/secret-files.js";
import { password } from "../stack/secret-specs.js";
import type { Wiring } from "../stack/wiring.js";
import type { Applied, ModuleContext } from "../stack/module.js";
import { defineModule, type RuleContext } from "./module.js";

interface Route {
  name: string;
  host: string;
  /** Backend URLs inside the compose network. */
  servers: string[];
  /** Admin UIs get basic auth in front. */
  adminAuth: boolean;
}

export interface SecurityModel {
  domain: string;
  /** Present when certificates come from Let's Encrypt. */
  acme?: { email: string; caServer?: string; storage: string };
  routes: Route[];
  rateLimit: { average: number; burst: number };
  /** Container path of the htpasswd file, when some route is an admin UI. */
  usersFile?: string;
  /** Traefik serves its own Prometheus metrics on the internal entry point (monitoring is on). */
  metrics: boolean;
  /** Container port of the internal entry point (ping, metrics); never published. */
  internalPort: number;
}

declare module "../stack/types.js" {
  interface ModuleModels {
    security?: SecurityModel;
  }
}

const LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
const USERS_FILE = `${PRIVATE_DIR}/traefik-users`;
const USERS_TARGET = "/run/secrets/traefik-users";
const INTERNAL_PORT = 8080;
const CERT_RESOLVER = "letsencrypt";

/** The rules below refuse security without a domain (and Let's Encrypt without an email). */
function securedDomain(config: ResolvedConfig): string {
  if (!config.security.domain) throw new InternalError("security is on without security.domain, which its rules refuse");
  return config.security.domain;
}

function acmeEmail(config: ResolvedConfig): string {
  if (!config.security.email) throw new InternalError("Let's Encrypt is on without security.email, which its rules refuse");
  return config.security.email;
}

/** A UI's host: security.<ui>Domain, else <ui>.<domain>. */
function uiHost(config: ResolvedConfig, ui: string): string {
  const chosen = (config.security as Record<string, unknown>)[`${ui}Domain`];
  return typeof chosen === "string" ? chosen : `${ui}.${securedDomain(config)}`;
}

const letsEncrypt = (config: ResolvedConfig) => config.security.certificates === "letsencrypt";

function secure(wiring: Wiring, { config, offers, enabled }: ModuleContext): Applied<SecurityModel> {
  const s = config.security;
  const domain = securedDomain(config);
  const routes: Route[] = [
    { name: "librechat", host: domain, servers: [wiring.chatEntry.url], adminAuth: false },
    ...offers.webUis.map((ui) => ({ name: ui.name, host: uiHost(config, ui.name), servers: [ui.url], adminAuth: true })),
  ];
  const adminAuth = routes.some((route) => route.adminAuth);
  const acme = letsEncrypt(config);
  const traefik = longRunning({
    name: "traefik",
    summary: `Traefik: HTTPS for ${domain}${acme ? " (Let's Encrypt)" : " (self-signed)"}; the only service that publishes ports`,
    image: s.traefik.image,
    // Let's Encrypt must reach port 80 for the HTTP challenge, so that mode listens on every
    // interface; a self-signed stack stays on bindAddress (127.0.0.1 unless the user widens it).
    ports: [80, 443].map((port) => ({ ...(acme ? {} : { hostIp: config.bindAddress }), hostPort: port, containerPort: port })),
    mounts: [
      // /etc/traefik/traefik.yml is where Traefik (and `traefik healthcheck`) look for the static
      // config; a folder mount sees dynamic.yml's atomic replacement, so routes reload live.
      { kind: "bind", source: "./traefik", target: "/etc/traefik", readOnly: true },
      { kind: "bind", source: "./data/traefik", target: "/data", readOnly: false },
      ...(adminAuth ? [{ kind: "bind" as const, source: `./${USERS_FILE}`, target: USERS_TARGET, readOnly: true }] : []),
    ],
    healthcheck: health(["CMD", "traefik", "healthcheck", "--ping"], "10s"),
    dependsOn: [{ service: wiring.chatEntry.service, condition: "service_healthy" }],
    limits: limits(s.traefik.memory, s.traefik.cpus),
  });
  // With Traefik in front, nothing else is reachable from outside the compose network.
  const services = [...wiring.services.map((service) => (service.ports.length > 0 ? { ...service, ports: [] } : service)), traefik];
  return {
    wiring: { ...wiring, services },
    model: {
      domain,
      ...(acme ? { acme: { email: acmeEmail(config), storage: "/data/acme.json", ...(s.staging ? { caServer: LETS_ENCRYPT_STAGING } : {}) } } : {}),
      routes,
      rateLimit: { average: s.rateLimit.average, burst: s.rateLimit.burst },
      ...(adminAuth ? { usersFile: USERS_TARGET } : {}),
      metrics: enabled("monitoring"),
      internalPort: INTERNAL_PORT,
    },
    // Traefik runs as root: 0600 is enough.
    privateFiles: adminAuth ? [htpasswdFile("traefik-users", "TRAEFIK_BASIC_AUTH_PASSWORD", s.adminUser)] : [],
  };
}

function rules({ config, fromDefaults, at }: RuleContext): void {
  const s = config.security;
  const acme = letsEncrypt(config);
  if (!s.domain) {
    at(
      "security.domain",
      "security is enabled but has no domain: Traefik routes LibreChat by host name and requests its certificate for it",
      'set security.domain to the public host name, e.g. "chat.example.com"',
      "security.enabled",
    );
  } else {
    if (acme && (!s.domain.includes(".") || s.domain.endsWith(".localhost"))) {
      at(
        "security.domain",
        `Let's Encrypt only issues certificates for public domain names, not ${JSON.stringify(s.domain)}`,
        'use a public name, or set security.certificates to "self-signed" for a local or LAN setup',
      );
    }
    const url = `https://${s.domain}`;
    if (config.librechat.domain && config.librechat.domain !== url) {
      at(
        "librechat.domain",
        `librechat.domain is ${JSON.stringify(config.librechat.domain)}, but with security enabled LibreChat is served on ${url}`,
        "remove librechat.domain: it follows security.domain",
      );
    }
    for (const ui of ["grafanaDomain", "prometheusDomain"] as const) {
      if (s[ui] === s.domain)
        at(
          `security.${ui}`,
          `security.${ui} is the same host as security.domain; each UI needs its own host name`,
          `remove security.${ui} to get ${ui.replace("Domain", "")}.${s.domain}`,
        );
    }
  }
  if (acme && !s.email) {
    at(
      "security.email",
      "security is enabled with Let's Encrypt certificates but has no email: the ACME account needs a contact address",
      'set security.email, e.g. "ops@example.com", or set security.certificates to "self-signed"',
      "security.enabled",
    );
  }
  if (config.ollama.publish && !fromDefaults("ollama.publish")) {
    at(
      "ollama.publish",
      "with security enabled only Traefik publishes ports, so Ollama's API cannot be published",
      "remove ollama.publish (or set it to false)",
    );
  }
}

function middlewaresFor(route: Route): string[] {
  return route.adminAuth ? ["security-headers", "admin-auth", "rate-limit"] : ["security-headers", "rate-limit"];
}

function dynamicConfig(model: SecurityModel) {
  const tls = model.acme ? { certResolver: CERT_RESOLVER } : {};
  const routers = Object.fromEntries(
    model.routes.map((route) => [
      route.name,
      { rule: `Host(\`${route.host}\`)`, entryPoints: ["websecure"], middlewares: middlewaresFor(route), service: route.name, tls },
    ]),
  );
  const services = Object.fromEntries(
    model.routes.map((route) => [route.name, { loadBalancer: { passHostHeader: true, servers: route.servers.map((url) => ({ url })) } }]),
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
    "rate-limit": { rateLimit: { average: model.rateLimit.average, burst: model.rateLimit.burst, period: "1s" } },
  };
  if (model.usersFile) {
    // removeHeader: Grafana would otherwise try the proxy's basic-auth credentials as its own login.
    middlewares["admin-auth"] = { basicAuth: { usersFile: model.usersFile, realm: "local-llm-stack admin", removeHeader: true } };
  }
  return { routers, services, middlewares };
}

export const security = defineModule({
  name: "security",
  example: { security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" } },
  proxy: "Traefik",
  public: letsEncrypt,
  librechatUrl: (config) => (config.security.domain ? `https://${config.security.domain}` : undefined),
  routeUrl: (config, ui) => `https://${uiHost(config, ui)}/`,
  rules,
  // The only service that publishes ports: every other claim is void while it is on.
  exclusivePorts: { service: "Traefik" },
  ports: () => [
    { path: "bindAddress", port: 80, setting: "bindAddress (or security.certificates)" },
    { path: "bindAddress", port: 443, setting: "bindAddress (or security.certificates)" },
  ],
  offers: () => ({ metrics: [{ job: "traefik", targets: [`traefik:${INTERNAL_PORT}`] }] }),
  apply: secure,
  secrets: [password("TRAEFIK_BASIC_AUTH_PASSWORD", 24, 12)],
  outputs: [
    {
      path: "traefik/traefik.yml",
      template: "traefik.yml",
      syntax: "yaml",
      view: (model, { header }) => ({
        header,
        metrics: model.metrics,
        internalPort: model.internalPort,
        resolver: CERT_RESOLVER,
        acme: model.acme ? { email: model.acme.email, storage: model.acme.storage, caServer: model.acme.caServer ?? null } : null,
      }),
    },
    {
      path: "traefik/dynamic.yml",
      template: "traefik-dynamic.yml",
      syntax: "yaml",
      view: (model, { header }) => ({ header, selfSigned: model.acme === undefined, adminAuth: model.usersFile !== undefined, ...dynamicConfig(model) }),
    },
  ],
  nextSteps: (model) => (model.acme ? [`DNS for ${model.routes.map((route) => route.host).join(", ")} must point at this machine, ports 80 and 443 open`] : []),
});
