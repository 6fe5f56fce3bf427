// Rules between values of the optional modules that the JSON Schema cannot express. A module
// switched on without what it needs is a diagnostic here, never a half-written file.
import type { Diagnostic } from "../errors.js";
import type { Merged } from "../presets/merge.js";
import type { LlmConfig } from "./types.js";

/** `blame` names the value whose file is reported when `path` itself is missing. */
type At = (path: string, message: string, hint?: string, blame?: string) => void;

function checkSecurity(config: LlmConfig, merged: Merged, at: At): void {
  const s = config.security;
  if (!s?.enabled) return;
  const letsEncrypt = s.certificates !== "self-signed";
  if (!s.domain) {
    at(
      "security.domain",
      "security is enabled but has no domain: Traefik routes LibreChat by host name and requests its certificate for it",
      'set security.domain to the public host name, e.g. "chat.example.com"',
      "security.enabled",
    );
  } else {
    if (letsEncrypt && (!s.domain.includes(".") || s.domain.endsWith(".localhost"))) {
      at(
        "security.domain",
        `Let's Encrypt only issues certificates for public domain names, not ${JSON.stringify(s.domain)}`,
        'use a public name, or set security.certificates to "self-signed" for a local or LAN setup',
      );
    }
    const url = `https://${s.domain}`;
    if (config.librechat?.domain && config.librechat.domain !== url) {
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
  if (letsEncrypt && !s.email) {
    at(
      "security.email",
      "security is enabled with Let's Encrypt certificates but has no email: the ACME account needs a contact address",
      'set security.email, e.g. "ops@example.com", or set security.certificates to "self-signed"',
      "security.enabled",
    );
  }
  if (config.ollama?.publish && merged.provenance.get("ollama.publish")?.source !== "defaults") {
    at(
      "ollama.publish",
      "with security enabled only Traefik publishes ports, so Ollama's API cannot be published",
      "remove ollama.publish (or set it to false)",
    );
  }
}

function checkScaling(config: LlmConfig, at: At): void {
  const s = config.scaling;
  if (!s?.enabled || (s.ollamaReplicas ?? 1) <= 1) return;
  const replicas = s.ollamaReplicas ?? 1;
  const gpu = config.ollama?.gpu;
  if (gpu?.deviceIds && gpu.deviceIds.length % replicas !== 0) {
    at(
      "scaling.ollamaReplicas",
      `${replicas} Ollama instances cannot share ${gpu.deviceIds.length} GPUs (ollama.gpu.deviceIds) evenly`,
      `list a multiple of ${replicas} GPU ids, or set scaling.ollamaReplicas to a divisor of ${gpu.deviceIds.length}`,
    );
  }
  if (gpu?.vendor === "nvidia" && typeof gpu.count === "number") {
    at(
      "ollama.gpu.count",
      `a GPU count makes all ${replicas} Ollama instances reserve the same first ${gpu.count === 1 ? "GPU" : `${gpu.count} GPUs`}`,
      'list the GPUs in ollama.gpu.deviceIds (e.g. ["0", "1"]) so each instance gets its own, or use count "all" to share them',
    );
  }
}

export function checkModules(config: LlmConfig, merged: Merged, fileOf: (path: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at: At = (path, message, hint, blame = path) => out.push({ file: fileOf(blame), path, message, ...(hint ? { hint } : {}) });
  checkSecurity(config, merged, at);
  checkScaling(config, at);
  return out;
}
