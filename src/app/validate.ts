// `llm validate`: every check `generate` makes (config, presets, rendered files, secrets file),
// and no write.
import { path } from "../util/path.js";
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { type Result, ok } from "../errors.js";
import { readText } from "../io/files.js";
import { generateFromSource, type Generated } from "../pipeline.js";
import { SECRETS_FILE } from "../layout.js";
import { planSecrets } from "../secrets/store.js";
import { nodeFs } from "../io/fs.js";
import type { Notice } from "../stack/types.js";
import { checkDataFolders } from "./data-folders.js";

export interface ValidateReport {
  configFile: string;
  generated: Generated;
  warnings: Notice[];
}

export async function runValidate(request: { cwd: string; configPath?: string; options?: ResolveOptions }): Promise<Result<ValidateReport>> {
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (!loaded.ok) return loaded;
  const generated = generateFromSource(loaded.value, request.options);
  if (!generated.ok) return generated;
  // The secrets this stack needs, as generate checks them: missing ones are fine (generate
  // creates them), malformed ones are not. The stand-in generator never reaches disk.
  const specs = generated.value.stack.secrets.map((s) => s.spec);
  const secrets = planSecrets(await readText(path.join(path.dirname(loaded.value.absolutePath), SECRETS_FILE)), specs, (_alphabet, length) => "0".repeat(length));
  if (!secrets.ok) return secrets;
  const data = await checkDataFolders(generated.value.stack, nodeFs, path.dirname(loaded.value.absolutePath), loaded.value.file);
  if (!data.ok) return data;
  return ok({ configFile: loaded.value.file, generated: generated.value, warnings: [...generated.value.stack.warnings, ...data.value] });
}
