// `llm validate`: every check `generate` makes (config, presets, rendered files, secrets file),
// and no write.
import { path } from "../util/path.js";
import type { ResolveOptions } from "../config/resolve.js";
import { type Result, fail, ok } from "../errors.js";
import { parseManifest } from "../diff/manifest.js";
import { guardedDataFolders, readFailed } from "./workspace.js";
import { readText } from "../io/files.js";
import { renderDescribed, type Generated } from "../pipeline.js";
import { MANIFEST_FILE, SECRETS_FILE } from "../layout.js";
import { checkKustomizable } from "../secrets/kustomize-env.js";
import { checkWiredSecrets } from "../secrets/wired-lines.js";
import { planSecrets } from "../secrets/store.js";
import { unsetReferences } from "../secrets/references.js";
import { secretSpecsOf } from "../stack/stacks.js";
import { nodeFs } from "../io/fs.js";
import type { Notice } from "../stack/types.js";
import { checkDataFolders } from "./data-folders.js";
import { openStack } from "./open-stack.js";

export interface ValidateReport {
  configFile: string;
  generated: Generated;
  warnings: Notice[];
}

export async function runValidate(request: { cwd: string; configPath?: string; options?: ResolveOptions }): Promise<Result<ValidateReport>> {
  const opened = await openStack(request);
  if (!opened.ok) return opened;
  const { configFile, outDir } = opened.value;
  const generated = renderDescribed(opened.value, configFile);
  if (!generated.ok) return generated;
  // The secrets this stack needs, as generate checks them: missing ones are fine (generate
  // creates them) unless the folder had them and their data is there; malformed ones are not.
  // The stand-in generator never makes a value that reaches disk.
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
  const recorded = new Set(manifest.value?.secrets ?? []);
  const history = { recorded, accepted: new Set<string>(), dataFolders: await guardedDataFolders(nodeFs, outDir, generated.value, recorded, texts[0] ?? null) };
  const specs = secretSpecsOf(generated.value.stacks);
  const secrets = planSecrets(texts[0] ?? null, specs, (_alphabet, length) => "0".repeat(length), history);
  if (!secrets.ok) return secrets;
  const wired = checkWiredSecrets(texts[0] ?? null);
  if (!wired.ok) return wired;
  if (generated.value.stacks.some((stack) => stack.kubernetes && !stack.kubernetes.secrets.existingSecret)) {
    const kustomizable = checkKustomizable(secrets.value.text);
    if (!kustomizable.ok) return kustomizable;
  }
  const data = await checkDataFolders(generated.value.stack, nodeFs, outDir, configFile);
  if (!data.ok) return data;
  // Judged on the file as it is: the values generate would add are never user keys.
  const references = unsetReferences(generated.value.stack, texts[0] ?? null);
  return ok({ configFile, generated: generated.value, warnings: [...generated.value.stack.warnings, ...references, ...data.value] });
}
