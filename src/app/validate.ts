// `llm validate`: every check `generate` makes (config, presets, rendered files, secrets file),
// and no write.
import { path } from "../util/path.js";
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { type Result, fail, ok } from "../errors.js";
import { parseManifest } from "../diff/manifest.js";
import { MANIFEST_FILE } from "../layout.js";
import { readFailed } from "./workspace.js";
import { readText } from "../io/files.js";
import { generateFromSource, type Generated } from "../pipeline.js";
import { SECRETS_FILE, secretSpecsFor } from "../secrets/catalog.js";
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
  // Missing secrets are fine (generate creates them) unless the folder had them and losing them
  // loses data; malformed ones are not. The stand-in generator never makes a value that reaches disk.
  const outDir = path.dirname(loaded.value.absolutePath);
  const texts: (string | null)[] = [];
  for (const file of [SECRETS_FILE, MANIFEST_FILE]) {
    try {
      texts.push(await readText(path.join(outDir, ...file.split("/"))));
    } catch (error) {
      return fail(readFailed(error, outDir, file));
    }
  }
  const manifest = parseManifest(texts[1] ?? null);
  if (!manifest.ok) return manifest;
  // Without any secrets.env (CI, a fresh clone) nothing is judged lost, as with --check: validate
  // runs where secrets are not checked out. generate still refuses to make new ones there.
  const history = { recorded: new Set(texts[0] === null ? [] : (manifest.value?.secrets ?? [])), accepted: new Set<string>() };
  const secrets = planSecrets(texts[0] ?? null, secretSpecsFor(generated.value.stack.secrets), (_alphabet, length) => "0".repeat(length), history);
  if (!secrets.ok) return secrets;
  return ok({ configFile: loaded.value.file, generated: generated.value });
}
