// `llm generate` as a use case: load, resolve, render, plan secrets, then write. Every check
// runs before the first write, so bad input leaves the folder exactly as it was.
import path from "node:path";
import { customAlphabet } from "nanoid";
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { fileMode, readText, writeAtomic } from "../io/files.js";
import { generateFromSource, type Generated } from "../pipeline.js";
import { secretSpecsFor, SECRETS_FILE } from "../secrets/catalog.js";
import { planPrivateFiles } from "../secrets/private-files.js";
import { planSecrets, type RandomString } from "../secrets/store.js";

export const nanoidRandom: RandomString = (alphabet, length) => customAlphabet(alphabet, length)();

export interface GenerateRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  random?: RandomString;
}

export interface GenerateReport {
  generated: Generated;
  configFile: string;
  written: string[];
  /** The written files that did not exist before (a subset of `written`). */
  created: string[];
  unchanged: string[];
  secretsAdded: string[];
}

export async function runGenerate(request: GenerateRequest): Promise<Result<GenerateReport>> {
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (!loaded.ok) return loaded;
  const outDir = path.dirname(loaded.value.absolutePath);

  const existing = new Map<string, string | null>();
  for (const name of [".gitignore"]) existing.set(name, await readText(path.join(outDir, name)));
  const generated = generateFromSource(loaded.value, request.options, (name) => existing.get(name) ?? null);
  if (!generated.ok) return generated;

  const secretsPath = path.join(outDir, SECRETS_FILE);
  const secrets = planSecrets(await readText(secretsPath), secretSpecsFor(generated.value.stack.secrets), request.random ?? nanoidRandom);
  if (!secrets.ok) return secrets;
  const privateFiles = await planPrivateFiles(generated.value.stack.privateFiles, secrets.value.values, (name) => readText(path.join(outDir, name)));

  const written: string[] = [];
  const created: string[] = [];
  const unchanged: string[] = [];
  try {
    for (const file of [...generated.value.files, ...privateFiles]) {
      const target = path.join(outDir, file.path);
      const before = await readText(target);
      if (before === file.contents && (file.mode !== 0o600 || (await fileMode(target)) === 0o600)) {
        unchanged.push(file.path);
        continue;
      }
      if (before === null) created.push(file.path);
      await writeAtomic(target, file.contents, file.mode);
      written.push(file.path);
    }
    const previous = await readText(secretsPath);
    if (previous !== secrets.value.text) {
      await writeAtomic(secretsPath, secrets.value.text, 0o600);
      written.push(SECRETS_FILE);
      if (previous === null) created.push(SECRETS_FILE);
    } else {
      if ((await fileMode(secretsPath)) !== 0o600) await writeAtomic(secretsPath, previous, 0o600);
      unchanged.push(SECRETS_FILE);
    }
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return fail(new LlmError("WRITE_FAILED", `could not write the generated files: ${err.code ?? ""} ${err.message.replace(outDir, ".")}`.trim(), { hint: "check the folder's permissions and free space", cause: error }));
  }
  return ok({ generated: generated.value, configFile: loaded.value.file, written, created, unchanged, secretsAdded: secrets.value.added });
}
