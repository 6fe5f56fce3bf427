// What `generate` would do to each file, decided without touching the disk: the files it wants,
// what is on disk now, and the manifest of what it wrote last time. `llm diff`, `generate --check`
// and `generate` all read this one answer.
import { removeManagedBlock } from "../outputs/gitignore.js";
import { ownedPart, sha256, type Manifest } from "./manifest.js";

/** output: owned whole; managed-block: a user's file with one owned block; secrets: append-only,
 * never committed; private: derived from secrets, never committed; manifest: the tool's record. */
export type FileRole = "output" | "managed-block" | "secrets" | "private" | "manifest";

/** Files that hold secrets: gitignored, mode 0600, never shown in a diff, never checked in CI. */
export const isSecretBearing = (role: FileRole) => role === "secrets" || role === "private";

export type ChangeKind = "create" | "update" | "delete" | "unchanged";

/** A file was changed since `generate` wrote it (hand-edit), or exists without ever having been
 * written by it (unknown); either way overwriting or removing it would lose someone's work. */
export type Ownership = "hand-edit" | "unknown";

export interface DesiredFile {
  path: string;
  contents: string;
  mode: number;
  role: FileRole;
}

export interface DiskFile {
  text: string | null;
  mode: number | null;
}

export interface FileChange {
  path: string;
  role: FileRole;
  kind: ChangeKind;
  before: string | null;
  after: string | null;
  modeBefore: number | null;
  modeAfter: number | null;
  /** Set when the change would overwrite or remove work that is not the tool's. */
  conflict: Ownership | null;
}

const ownsWhole = (role: FileRole) => role !== "managed-block";

/** `text` with Windows line endings made LF. A checkout on Windows with core.autocrlf rewrites
 * every committed file so; the tool writes LF only, so the two are the same file to it (its own
 * secrets.env is compared byte for byte: it is never rewritten, only appended to). */
export const withLf = (text: string) => (text.includes("\r\n") ? text.replace(/\r\n/g, "\n") : text);

/** Whether the file on disk holds what the tool would write, line endings aside for files a git
 * checkout may have converted. */
function sameText(role: FileRole, disk: string, wanted: string): boolean {
  if (disk === wanted) return true;
  return !isSecretBearing(role) && !wanted.includes("\r") && withLf(disk) === wanted;
}

/** Whether writing `wanted` over `disk` would lose work that is not the tool's. */
export function losesWork(role: FileRole, disk: string | null, wanted: string, recorded: Manifest["files"][string] | undefined): Ownership | null {
  return disk === null || sameText(role, disk, wanted) ? null : conflictFor(role, disk, recorded);
}

function conflictFor(role: FileRole, text: string, recorded: Manifest["files"][string] | undefined): Ownership | null {
  const disk = withLf(text);
  if (role === "output") {
    if (!recorded) return "unknown";
    return sha256(disk) === recorded.sha256 ? null : "hand-edit";
  }
  if (role === "managed-block") {
    // The markers declare the block the tool's own, so a block without a record is not a conflict.
    const block = ownedPart(disk, true);
    if (block === null || !recorded) return null;
    return sha256(block) === recorded.sha256 ? null : "hand-edit";
  }
  return null;
}

/** Desired files first (in their order), then files the manifest owns that are no longer wanted.
 * `modes`: whether the platform has POSIX modes to compare (not Windows). */
export function planChanges(
  desired: readonly DesiredFile[],
  disk: (path: string) => DiskFile,
  manifest: Manifest | null,
  options: { modes?: boolean } = {},
): FileChange[] {
  const changes: FileChange[] = [];
  const wanted = new Set(desired.map((file) => file.path));
  for (const file of desired) {
    const now = disk(file.path);
    const modeMatters = options.modes !== false && isSecretBearing(file.role);
    let kind: ChangeKind;
    if (now.text === null) kind = "create";
    else if (sameText(file.role, now.text, file.contents) && (!modeMatters || now.mode === file.mode)) kind = "unchanged";
    else kind = "update";
    changes.push({
      path: file.path,
      role: file.role,
      kind,
      before: now.text,
      after: file.contents,
      modeBefore: now.mode,
      modeAfter: file.mode,
      conflict:
        kind === "update" && !sameText(file.role, now.text ?? "", file.contents) ? conflictFor(file.role, now.text ?? "", manifest?.files[file.path]) : null,
    });
  }
  const obsolete = Object.keys(manifest?.files ?? {})
    .filter((path) => !wanted.has(path))
    .sort();
  for (const path of obsolete) {
    const now = disk(path);
    const recorded = manifest?.files[path];
    if (now.text === null || !recorded) continue;
    const role: FileRole = recorded.private ? "private" : recorded.managedBlock ? "managed-block" : "output";
    // A user's file keeps its own lines: only the block goes.
    const after = ownsWhole(role) ? null : removeManagedBlock(withLf(now.text));
    if (after === withLf(now.text)) continue;
    changes.push({
      path,
      role,
      kind: after === null ? "delete" : "update",
      before: now.text,
      after,
      modeBefore: now.mode,
      modeAfter: after === null ? null : now.mode,
      conflict: conflictFor(role, now.text, recorded),
    });
  }
  return changes;
}

/** Changes that would lose work: refused unless forced. */
export function conflicts(changes: readonly FileChange[]): FileChange[] {
  return changes.filter((change) => change.conflict !== null && change.kind !== "unchanged");
}

export const isChange = (change: FileChange) => change.kind !== "unchanged";
