// Which data folders the output folder already has: the disk side of stack/data-folders.ts.
import { LlmError, type Result, fail, ok } from "../errors.js";
import type { WriterFs } from "../io/fs.js";
import { dataFolderFindings, type PlannedDataMove } from "../stack/data-folders.js";
import type { Notice, Stack } from "../stack/types.js";
import { inside } from "../util/path.js";

/** Whether a data folder ("data/mongodb-8.0") holds anything. One that cannot be listed (a
 * database's own user may own it, or it is not a folder) is taken to hold data: the safe side for
 * every check that asks. */
export async function holdsData(fs: WriterFs, outDir: string, folder: string): Promise<boolean> {
  try {
    return (await fs.list(inside(outDir, folder))).length > 0;
  } catch {
    return true;
  }
}

/** The non-empty folders directly under data/, as "data/NAME". */
async function existingDataFolders(fs: WriterFs, outDir: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const name of await fs.list(inside(outDir, "data"))) {
    if (await holdsData(fs, outDir, `data/${name}`)) out.add(`data/${name}`);
  }
  return out;
}

/** Refuses a stack that would start an empty database beside another version's data (except
 * where `planned` moves it there); returns the warnings for what is only worth knowing. */
export async function checkDataFolders(
  stack: Stack,
  fs: WriterFs,
  outDir: string,
  configFile: string,
  planned: readonly PlannedDataMove[] = [],
): Promise<Result<Notice[]>> {
  const composeText = await fs.readText(inside(outDir, "docker-compose.yml"));
  const findings = dataFolderFindings(stack, await existingDataFolders(fs, outDir), composeText, configFile, planned);
  if (findings.errors.length > 0) {
    return fail(
      new LlmError("DATA_MIGRATION_REQUIRED", `the data in data/ belongs to another version than ${configFile} runs: nothing was written`, {
        diagnostics: findings.errors,
        hint: "choose one of the fixes above; your data stays where it is until you move it",
      }),
    );
  }
  return ok(findings.warnings);
}
