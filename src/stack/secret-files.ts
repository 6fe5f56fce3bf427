// The private files a stack's services read their secrets from (under the gitignored secrets/),
// and, once every service exists, who reads each: the answer `generate`, `llm secrets` and the
// tests share, taken from the services actually built.
import { PRIVATE_DIR } from "../layout.js";
import { byName } from "./helpers.js";
import type { PrivateContent, PrivateFile, SecretText, SecretUse, Service } from "./types.js";

/** Read by Compose (env_file) or by a container's root: the user alone. */
export const OWNER_ONLY = 0o600;
/** Read by a container's non-root user (Grafana 472, Prometheus nobody, Redis 999): the 0700
 * secrets/ folder keeps it from other users of the host. */
export const CONTAINER_READABLE = 0o644;

const file = (name: string, mode: number, content: PrivateContent): PrivateFile => ({ path: `${PRIVATE_DIR}/${name}`, mode, content, readers: [] });

export interface SecretVar {
  name: string;
  value: SecretText;
}

/** `secrets/<name>.env` for env_file; `userSecrets` adds the keys a user keeps in secrets.env. */
export const secretEnvFile = (name: string, vars: readonly SecretVar[], userSecrets = false): PrivateFile =>
  file(`${name}.env`, OWNER_ONLY, { kind: "env", vars: [...vars].sort((a, b) => byName(a.name, b.name)), userSecrets });

/** Kubernetes: the keys a user added to secrets.env, alone, for the Secret LibreChat's pods read
 * them from (on Compose they are in LibreChat's env file). */
export const USER_SECRETS_FILE = `${PRIVATE_DIR}/user-secrets.env`;
export const userSecretsFile = (): PrivateFile => file("user-secrets.env", OWNER_ONLY, { kind: "env", vars: [], userSecrets: true, literal: true });

/** The value of one secret as a file, for images that read a password or token from a file. */
export const secretValueFile = (name: string, secret: string, mode: number): PrivateFile => file(name, mode, { kind: "value", secret });

export const htpasswdFile = (name: string, secret: string, user: string): PrivateFile => file(name, OWNER_ONLY, { kind: "htpasswd", secret, user });

export const configFile = (name: string, lines: SecretText[], mode: number): PrivateFile => file(name, mode, { kind: "lines", lines });

/** A variable whose value is one secret, as is. */
export const fromSecret = (name: string, secret = name): SecretVar => ({ name, value: [{ secret }] });

function secretsIn(content: PrivateContent): string[] {
  switch (content.kind) {
    case "value":
    case "htpasswd":
      return [content.secret];
    case "env":
      return content.vars.flatMap((v) => textSecrets(v.value));
    case "lines":
      return content.lines.flatMap(textSecrets);
  }
}

const textSecrets = (text: SecretText): string[] => text.flatMap((part) => (typeof part === "string" ? [] : [part.secret]));

const readsFile = (service: Service, path: string) =>
  service.envFiles.includes(path) || service.mounts.some((m) => m.kind === "bind" && m.source === `./${path}`);

export interface SecretWiring {
  privateFiles: PrivateFile[];
  secrets: Omit<SecretUse, "spec">[];
  userSecretReaders: string[];
}

/** Each private file with the services that read it (a file nothing reads is dropped), and each
 * secret with the union of its files' readers. */
export function wireSecrets(services: readonly Service[], files: readonly PrivateFile[]): SecretWiring {
  const privateFiles = files
    .map((f) => ({
      ...f,
      readers: services
        .filter((s) => readsFile(s, f.path))
        .map((s) => s.name)
        .sort(byName),
    }))
    .filter((f) => f.readers.length > 0)
    .sort((a, b) => byName(a.path, b.path));
  const readers = new Map<string, Set<string>>();
  for (const f of privateFiles) {
    for (const secret of secretsIn(f.content)) {
      const set = readers.get(secret) ?? new Set<string>();
      for (const reader of f.readers) set.add(reader);
      readers.set(secret, set);
    }
  }
  const secrets = [...readers].map(([name, set]) => ({ name, readers: [...set].sort(byName) })).sort((a, b) => byName(a.name, b.name));
  const userSecretReaders = [...new Set(privateFiles.filter((f) => f.content.kind === "env" && f.content.userSecrets).flatMap((f) => f.readers))].sort(byName);
  return { privateFiles, secrets, userSecretReaders };
}
