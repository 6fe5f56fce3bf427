// The folders the tool creates and writes into (.llm, .llm/tx, secrets/, traefik/, grafana/, ...)
// are never entered through a symbolic link: a link planted at `.llm/tx` made cleaning up delete
// the files it pointed at, and a linked `secrets/` sent secrets elsewhere. A folder that is a link
// is refused before anything in it is read, written or removed.
import { LlmError } from "../errors.js";
import { inside } from "../util/path.js";
import type { WriterFs } from "./fs.js";

function symlinkRefused(folder: string, target: string): LlmError {
  return new LlmError(
    "SYMLINK_REFUSED",
    `${folder}/ is a symbolic link (to ${target}); llm never reads, writes or removes files through a link in a folder it owns`,
    {
      hint: `make it a real folder: move out of ${target} what you want to keep, then \`rm ${folder} && mkdir ${folder}\` and run the command again`,
    },
  );
}

/** Checks each folder (relative to `root`, `/` separators; parents are checked as named, so list
 * them too) once per `checked` set: a missing folder is fine (it is created as a real one), a link
 * is the error returned. */
export async function refuseLinkedFolders(
  fs: WriterFs,
  root: string,
  folders: Iterable<string>,
  checked: Set<string> = new Set(),
): Promise<LlmError | undefined> {
  for (const folder of folders) {
    if (checked.has(folder)) continue;
    checked.add(folder);
    const entry = await fs.entry(inside(root, folder));
    if (entry?.kind === "link") return symlinkRefused(folder, entry.target ?? "?");
  }
  return undefined;
}
