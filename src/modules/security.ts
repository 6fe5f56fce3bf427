// Security: Traefik v3 terminates HTTPS and becomes the only service with published ports. The
// web UIs other modules offer (Grafana, Prometheus) get their own host names behind basic auth,
// whose bcrypt hash lives in a gitignored file. Traefik runs as root: its image has no other user,
// and acme.json needs a writable /data. On Kubernetes the cluster's ingress controller does this:
// an Ingress for LibreChat with TLS from cert-manager (an ACME Issuer, a ClusterIssuer, or the
// controller's default certificate for "self-signed"); the admin UIs are not routed.
import type { ResolvedConfig } from "../config/types.js";
import type { IIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { InternalError } from "../errors.js";
import { PRIVATE_DIR } from "../layout.js";
import { health, isLoopback, isLoopbackHost, limits, longRunning, namespaceOf } from "../stack/helpers.js";
import { htpasswdFile } from "../stack/secret-files.js";
import { password } from "../stack/secret-specs.js";
import type { Wiring } from "../stack/wiring.js";
import type { Applied, ModuleContext } from "../stack/module.js";
import type { Notice } from "../stack/types.js";
import { defineModule, type RuleContext } from "./module.js";

interface Route {
  name: string;
  host: string;
  /** Backend URLs inside the compose network. */
  servers: string[];
  /** Admin UIs get basic auth in front. */
  adminAuth: boolean;
}

/** Kubernetes: what the Ingress and its certificate need. */
interface IngressModel {
  host: string;
  /** The Service and port chat traffic goes to. */
  service: string;
  port: number;
  /** The Secret cert-manager (or the user) keeps the certificate in. */
  tlsSecret: string;
  /** Who issues the certificate: an ACME Issuer written beside the Ingress, an existing
   * ClusterIssuer, or nobody (self-signed: the controller's default certificate). */
  issuer: { kind: "Issuer"; name: string; email: string; server: string } | { kind: "ClusterIssuer"; name: string } | null;
  className?: string;
  annotations: Record<string, string>;
  /** NetworkPolicies are on: the controller may reach LibreChat, and the ACME solver pods. */
  networkPolicies: boolean;
  controllerNamespace?: string;
  /** The stack's namespace, for the commands the next steps print. */
  namespace: string;
}

export interface SecurityModel {
  domain: string;
  /** Kubernetes only: the Ingress that replaces Traefik. */
  ingress?: IngressModel;
  /** Present when certificates come from Let's Encrypt. */
  acme?: { email: string; caServer?: string; storage: string };
  routes: Route[];
  /** Compose: Traefik's limit per client. (On a cluster the ingress controller's apply.) */
  rateLimit?: { average: number; burst: number };
  /** Container path of the htpasswd file, when some route is an admin UI. */
  usersFile?: string;
  /** Compose: the basic-auth user in front of the admin UIs (its password is
   * TRAEFIK_BASIC_AUTH_PASSWORD). A cluster routes no admin UI. */
  adminUser?: string;
  /** Compose, self-signed: the host address Traefik listens on (Let's Encrypt: every interface). */
  listensOn?: string;
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
const LETS_ENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory";
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

/** The chat entry's Service and port: LibreChat itself on Kubernetes (its Service balances pods). */
function ingressFor(config: ResolvedConfig, wiring: Wiring): IngressModel {
  const k = config.kubernetes;
  const entry = new URL(wiring.chatEntry.url);
  const issuer: IngressModel["issuer"] = !letsEncrypt(config)
    ? null
    : k.ingress.clusterIssuer
      ? { kind: "ClusterIssuer", name: k.ingress.clusterIssuer }
      : { kind: "Issuer", name: CERT_RESOLVER, email: acmeEmail(config), server: config.security.staging ? LETS_ENCRYPT_STAGING : LETS_ENCRYPT_PRODUCTION };
  return {
    host: securedDomain(config),
    service: wiring.chatEntry.service,
    port: Number(entry.port),
    tlsSecret: "librechat-tls",
    issuer,
    ...(k.ingress.className ? { className: k.ingress.className } : {}),
    annotations: { ...k.ingress.annotations },
    networkPolicies: k.networkPolicies,
    namespace: namespaceOf(config),
    ...(k.ingress.controllerNamespace ? { controllerNamespace: k.ingress.controllerNamespace } : {}),
  };
}

function secure(wiring: Wiring, context: ModuleContext): Applied<SecurityModel> {
  const { config, offers, enabled, target } = context;
  const s = config.security;
  const domain = securedDomain(config);
  if (target === "kubernetes") {
    return {
      wiring,
      model: {
        domain,
        ingress: ingressFor(config, wiring),
        routes: [],
        metrics: false,
        internalPort: INTERNAL_PORT,
      },
      proxy: "the ingress controller",
    };
  }
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
  // Self-signed stays on bindAddress; a name others use to reach it then finds nothing listening.
  const lanUnreachable = !acme && isLoopback(config.bindAddress) && !isLoopbackHost(domain);
  const warnings: Notice[] = lanUnreachable
    ? [
        {
          path: "bindAddress",
          message: `with self-signed certificates Traefik listens on bindAddress ${config.bindAddress} only, so other machines cannot reach https://${domain}`,
          hint: `set bindAddress to this machine's LAN address (or "0.0.0.0"), or use a name under .localhost for this machine alone`,
        },
      ]
    : [];
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
      adminUser: s.adminUser,
      ...(acme ? {} : { listensOn: config.bindAddress }),
      metrics: enabled("monitoring"),
      internalPort: INTERNAL_PORT,
    },
    // Traefik runs as root: 0600 is enough.
    privateFiles: adminAuth ? [htpasswdFile("traefik-users", "TRAEFIK_BASIC_AUTH_PASSWORD", s.adminUser)] : [],
    proxy: "Traefik",
    warnings,
  };
}

function rules({ config, fromDefaults, at, targets }: RuleContext): void {
  // Traefik's rules: on a cluster the Ingress routes LibreChat alone and nothing is published.
  const traefik = targets.includes("compose");
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
      if (traefik && s[ui] === s.domain)
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
  if (traefik && config.ollama.publish && !fromDefaults("ollama.publish")) {
    at(
      "ollama.publish",
      "with security enabled only Traefik publishes ports, so Ollama's API cannot be published",
      "remove ollama.publish (or set it to false)",
    );
  }
}

/** Self-signed: where the names must resolve, and the browser's warning to expect. */
function selfSignedStep(hosts: readonly string[], listensOn: string): string {
  const remote = hosts.filter((host) => !isLoopbackHost(host));
  const where =
    remote.length === 0
      ? "this machine only"
      : `${remote.join(", ")} must resolve to ${listensOn === "0.0.0.0" ? "this machine" : listensOn} for every client (DNS, or each client's hosts file)`;
  return `Traefik serves https:// with its own self-signed certificate on ${listensOn}, ports 80 and 443: ${where}; browsers warn until the certificate is trusted`;
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
    ...(model.rateLimit ? { "rate-limit": { rateLimit: { average: model.rateLimit.average, burst: model.rateLimit.burst, period: "1s" } } } : {}),
  };
  if (model.usersFile) {
    // removeHeader: Grafana would otherwise try the proxy's basic-auth credentials as its own login.
    middlewares["admin-auth"] = { basicAuth: { usersFile: model.usersFile, realm: "local-llm-stack admin", removeHeader: true } };
  }
  return { routers, services, middlewares };
}

/** The Ingress, its Issuer, and the NetworkPolicies that let the controller reach LibreChat and
 * cert-manager's HTTP-01 solver pods (port 8089, labelled acme.cert-manager.io/http01-solver). */
function ingressManifests(model: SecurityModel): { summary: string; object: object }[] {
  const ingress = model.ingress;
  if (!ingress) throw new InternalError("the Kubernetes ingress of a stack built for Compose");
  const issuerAnnotation: Record<string, string> =
    ingress.issuer === null
      ? {}
      : ingress.issuer.kind === "ClusterIssuer"
        ? { "cert-manager.io/cluster-issuer": ingress.issuer.name }
        : { "cert-manager.io/issuer": ingress.issuer.name };
  const out: { summary: string; object: object }[] = [];
  if (ingress.issuer?.kind === "Issuer") {
    const issuer: IIssuer = {
      apiVersion: "cert-manager.io/v1",
      kind: "Issuer",
      metadata: { name: ingress.issuer.name },
      spec: {
        acme: {
          email: ingress.issuer.email,
          server: ingress.issuer.server,
          privateKeySecretRef: { name: `${ingress.issuer.name}-account-key` },
          solvers: [{ http01: { ingress: ingress.className ? { ingressClassName: ingress.className } : {} } }],
        },
      },
    };
    out.push({
      summary: `Let's Encrypt${ingress.issuer.server === LETS_ENCRYPT_STAGING ? " (staging)" : ""} certificates for ${ingress.host}, through cert-manager`,
      object: issuer,
    });
  }
  const route: IIngress = {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "librechat", annotations: { ...ingress.annotations, ...issuerAnnotation } },
    spec: {
      ...(ingress.className ? { ingressClassName: ingress.className } : {}),
      tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecret }],
      rules: [
        {
          host: ingress.host,
          http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: ingress.service, port: { number: ingress.port } } } }] },
        },
      ],
    },
  };
  out.push({ summary: `HTTPS for ${ingress.host}: the only way into the stack from outside the cluster`, object: route });
  if (ingress.networkPolicies) {
    const controller = ingress.controllerNamespace
      ? { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ingress.controllerNamespace } } }
      : { namespaceSelector: {} };
    const allowController: INetworkPolicy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-ingress-controller" },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": ingress.service } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [controller], ports: [{ protocol: "TCP", port: ingress.port }] }],
      },
    };
    out.push({
      summary: `${ingress.service} accepts the ingress controller (${ingress.controllerNamespace ? `namespace ${ingress.controllerNamespace}` : "any namespace"})`,
      object: allowController,
    });
    if (ingress.issuer !== null) {
      const allowSolver: INetworkPolicy = {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "allow-acme-http01-solver" },
        spec: {
          podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
          policyTypes: ["Ingress"],
          ingress: [{ from: [controller], ports: [{ protocol: "TCP", port: 8089 }] }],
        },
      };
      out.push({ summary: "cert-manager's HTTP-01 solver pods accept the ingress controller while a certificate is issued", object: allowSolver });
    }
  }
  return out;
}

export const security = defineModule({
  name: "security",
  example: { security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" } },
  public: letsEncrypt,
  librechatUrl: (config) => (config.security.domain ? `https://${config.security.domain}` : undefined),
  // The Ingress routes LibreChat only: Grafana and Prometheus are reached by port-forward.
  routeUrl: (config, ui, target) => (target === "compose" ? `https://${uiHost(config, ui)}/` : undefined),
  rules,
  // The only service that publishes ports: every other claim is void while it is on.
  exclusivePorts: { service: "Traefik" },
  ports: () => [
    { path: "bindAddress", port: 80, setting: "bindAddress (or security.certificates)" },
    { path: "bindAddress", port: 443, setting: "bindAddress (or security.certificates)" },
  ],
  offers: (_config, target) => (target === "compose" ? { metrics: [{ job: "traefik", targets: [`traefik:${INTERNAL_PORT}`] }] } : {}),
  apply: secure,
  onlyOnCompose: [
    {
      path: "security.grafanaDomain",
      onKubernetes: "the Ingress routes LibreChat only; Grafana is reached with `kubectl port-forward`",
      hint: "remove security.grafanaDomain",
    },
    {
      path: "security.prometheusDomain",
      onKubernetes: "the Ingress routes LibreChat only; Prometheus is reached with `kubectl port-forward`",
      hint: "remove security.prometheusDomain",
    },
    {
      path: "security.adminUser",
      onKubernetes: "Traefik's basic auth guards Grafana and Prometheus on Compose; on a cluster they are not routed at all",
      hint: "remove security.adminUser",
    },
    {
      path: "security.rateLimit",
      onKubernetes: "rate limits are the ingress controller's",
      hint: 'set them in kubernetes.ingress.annotations (ingress-nginx: "nginx.ingress.kubernetes.io/limit-rps"), and remove security.rateLimit',
    },
    {
      path: "security.traefik",
      onKubernetes: "Traefik does not run on a cluster; the ingress controller serves the Ingress",
      hint: "remove security.traefik (kubernetes.ingress.className chooses the controller)",
    },
  ],
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
      path: "kubernetes/ingress.yaml",
      template: "kubernetes.yaml",
      syntax: "yaml-documents",
      targets: ["kubernetes"],
      view: (model, { header }) => ({ header, manifests: ingressManifests(model) }),
    },
    {
      path: "traefik/dynamic.yml",
      template: "traefik-dynamic.yml",
      syntax: "yaml",
      view: (model, { header }) => ({ header, selfSigned: model.acme === undefined, adminAuth: model.usersFile !== undefined, ...dynamicConfig(model) }),
    },
  ],
  nextSteps: (model) => {
    if (model.ingress) {
      const { ingress } = model;
      const issuer =
        ingress.issuer === null ? "the ingress controller's default certificate (self-signed)" : `cert-manager (${ingress.issuer.kind} ${ingress.issuer.name})`;
      return [
        `DNS for ${ingress.host} must point at the cluster's ingress controller (\`kubectl -n ${ingress.namespace} get ingress librechat\`); the certificate comes from ${issuer}`,
      ];
    }
    const admin = model.routes.filter((route) => route.adminAuth);
    return [
      ...(model.acme ? [`DNS for ${model.routes.map((route) => route.host).join(", ")} must point at this machine, ports 80 and 443 open`] : []),
      ...(model.listensOn !== undefined
        ? [
            selfSignedStep(
              model.routes.map((route) => route.host),
              model.listensOn,
            ),
          ]
        : []),
      ...(admin.length > 0
        ? [
            `${admin.map((route) => `https://${route.host}/`).join(" and ")} ask first for Traefik's basic auth: user ${model.adminUser}, password TRAEFIK_BASIC_AUTH_PASSWORD in secrets.env`,
          ]
        : []),
    ];
  },
});
