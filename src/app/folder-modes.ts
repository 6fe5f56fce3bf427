// The tool's folders get fixed modes: its state and the secrets' files 0700, the rest 0755. New
// folders are made so (io/fs.ts); folders made before, by an older version or under another
// umask, are put right by `generate`, which says so.
import type { WriterFs } from "../io/fs.js";
import { folderModeFor } from "../layout.js";
import { inside } from "../util/path.js";

export interface ModeRepair {
  folder: string;
  from: number;
  to: number;
  /** Set when chmod failed (say EPERM: someone else owns the folder); the mode is unchanged. */
  failed?: string;
}

/** The existing folders (relative, `/` separators) whose mode is not their layout mode. Reads only. */
export async function wrongFolderModes(fs: WriterFs, outDir: string, folders: Iterable<string>): Promise<ModeRepair[]> {
  if (!fs.modes) return [];
  const out: ModeRepair[] = [];
  for (const folder of new Set(folders)) {
    const entry = await fs.entry(inside(outDir, folder));
    if (entry?.kind !== "folder") continue;
    const to = folderModeFor(folder);
    if (entry.mode !== to) out.push({ folder, from: entry.mode, to });
  }
  return out;
}

/** Sets each existing folder to its layout mode; returns what it changed (or could not). */
export async function repairFolderModes(fs: WriterFs, outDir: string, folders: Iterable<string>): Promise<ModeRepair[]> {
  const out: ModeRepair[] = [];
  for (const repair of await wrongFolderModes(fs, outDir, folders)) {
    try {
      await fs.chmod(inside(outDir, repair.folder), repair.to);
      out.push(repair);
    } catch (error) {
      out.push({ ...repair, failed: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
  }
  return out;
}

export const octal = (mode: number) => `0${mode.toString(8)}`;
