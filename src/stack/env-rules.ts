// Rules for the env maps a user adds to the services (librechat.env, ollama.env): what they hold is
// written to committed files and reaches the container as it is, so a value that is a secret, or
// one that undoes what the generator wires, is refused here with the key to use instead.
import type { ConfigRule } from "../config/resolve.js";
import type { Diagnostic } from "../errors.js";
import { SECRETS_FILE } from "../layout.js";

/** Where each env map is written, and what a generated secret there would do. */
const COMMITTED_IN = {
  "librechat.env": { file: ".env", effect: `has no effect (LibreChat reads ${SECRETS_FILE}'s value after it)` },
  "ollama.env": { file: "docker-compose.yml (or the Kubernetes manifests)", effect: "reaches Ollama, which does not read it" },
} as const;

/** `isGeneratedSecret`: the secrets catalog, core and modules (modules/registry.ts passes it in). */
export const envRules =
  (isGeneratedSecret: (name: string) => boolean): ConfigRule =>
  (config, _merged, fileOf) => {
    const out: Diagnostic[] = [];
    const maps = { "librechat.env": config.librechat.env, "ollama.env": config.ollama.env } as const;
    for (const [map, env] of Object.entries(maps) as [keyof typeof maps, Record<string, string>][]) {
      for (const key of Object.keys(env).sort()) {
        const path = `${map}.${key}`;
        // The committed file would hold the value, and secrets.env's (read after it) wins anyway.
        if (isGeneratedSecret(key))
          out.push({
            file: fileOf(path),
            path,
            message: `${key} is a secret llm keeps in ${SECRETS_FILE}: in ${map} its value is written to the committed ${COMMITTED_IN[map].file} and ${COMMITTED_IN[map].effect}`,
            hint: `remove ${path}; to choose the value yourself, put the line ${key}=... in ${SECRETS_FILE} (gitignored), which llm keeps when it is valid`,
          });
      }
    }
    return out;
  };
