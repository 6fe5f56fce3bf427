// `llm validate`: every check `generate` makes (config, presets, rendered files, secrets file),
// and no write.
import { path } from "../util/path.js";
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { type Result, ok } from "../errors.js";
import { readText } from "../io/files.js";
import { generateFromSource, type Generated } from "../pipeline.js";
import { SECRET_SPECS, SECRETS_FILE } from "../secrets/catalog.js";
import { planSecrets } from "../secrets/store.js";

export interface ValidateReport {
  configFile: string;
  generated: Generated;
}

export async function runValidate(request: { cwd: string; configPath?: string; options?: ResolveOptions }): Promise<Result<ValidateReport>> {
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (!loaded.ok) return loaded;
  const generated = generateFromSource(loaded.value, request.options);
  if (!generated.ok) return generated;
  // Missing secrets are fine (generate creates them); malformed ones are not. The stand-in
  // generator is never used for a value that reaches disk.
  const secrets = planSecrets(await readText(path.join(path.dirname(loaded.value.absolutePath), SECRETS_FILE)), SECRET_SPECS, (_alphabet, length) => "0".repeat(length));
  if (!secrets.ok) return secrets;
  return ok({ configFile: loaded.value.file, generated: generated.value });
}
