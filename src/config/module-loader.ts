// Loads a config written as a module (.ts/.mts/.mjs). TypeScript is stripped by oxc-transform, a
// native transformer (~25 ms), so no TypeScript compiler is needed at run time. The code is written
// to a temporary file beside the config, so its relative and package imports resolve as the user
// expects, and removed right after.
import { randomBytes } from "node:crypto";
import { readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const OWN_PACKAGE = "local-llm-stack";

/** Points `import … from "local-llm-stack"` at this running copy, so a config loads even where
 * the package is not installed beside it (npx, a global install, a fresh folder). */
function linkOwnPackage(code: string): string {
  const self = import.meta.resolve(OWN_PACKAGE);
  return code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])local-llm-stack\2/g, (_, lead: string) => `${lead}${JSON.stringify(self)}`);
}

async function stripTypes(file: string, source: string): Promise<string> {
  const { transformSync } = await import("oxc-transform");
  const result = transformSync(file, source, { sourceType: "module", typescript: { onlyRemoveTypeImports: false } });
  const first = result.errors[0];
  if (first) {
    const label = first.labels?.[0];
    const line = label ? source.slice(0, label.start).split("\n").length : undefined;
    throw new SyntaxError(`${first.message}${line ? ` (line ${line})` : ""}`);
  }
  return result.code;
}

export async function loadModuleConfig(file: string): Promise<unknown> {
  const source = await readFile(file, "utf8");
  const isTs = /\.(ts|mts|cts)$/.test(file);
  const code = linkOwnPackage(isTs ? await stripTypes(file, source) : source);
  if (!isTs && code === source) {
    const mod = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { default?: unknown };
    return mod.default ?? mod;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.mjs`);
  await writeFile(temp, code, { mode: 0o600 });
  try {
    const mod = (await import(pathToFileURL(temp).href)) as { default?: unknown };
    return mod.default ?? mod;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
