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

/** Sets each existing folder (relative, `/` separators) to its layout mode; returns what it changed. */
export async function repairFolderModes(fs: WriterFs, outDir: string, folders: Iterable<string>): Promise<ModeRepair[]> {
  if (!fs.modes) return [];
  const out: ModeRepair[] = [];
  for (const folder of new Set(folders)) {
    const absolute = inside(outDir, folder);
    const entry = await fs.entry(absolute);
    if (entry?.kind !== "folder") continue;
    const to = folderModeFor(folder);
    if (entry.mode === to) continue;
    try {
      await fs.chmod(absolute, to);
      out.push({ folder, from: entry.mode, to });
    } catch (error) {
      out.push({ folder, from: entry.mode, to, failed: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
  }
  return out;
}

export const octal = (mode: number) => `0${mode.toString(8)}`;
