// One change as a git-style unified diff (jsdiff does the line diff and the formatting), with
// secrets redacted first. Plain text: the CLI adds colors.
import { formatPatch, structuredPatch } from "diff";
import { isSecretBearing, type FileChange } from "./changes.js";
import type { Redactor } from "./redact.js";

const gitMode = (mode: number) => `100${mode.toString(8).padStart(3, "0")}`;

/** The manifest's hashes change with every file they describe, whose own diff is shown above: in
 * its diff they would only be noise, so each reads the same on both sides. */
const withoutHashes = (text: string) => text.replace(/("sha256": )"[0-9a-f]{64}"/g, '$1"…"');

/** "" when the file would not change. */
export function unifiedPatch(change: FileChange, redact: Redactor): string {
  if (change.kind === "unchanged") return "";
  const shown = (text: string) => (change.role === "manifest" ? withoutHashes(redact(text, change.role)) : redact(text, change.role));
  const before = change.before === null ? "" : shown(change.before);
  const after = change.after === null ? "" : shown(change.after);
  const created = change.before === null;
  const deleted = change.after === null;
  const patch = structuredPatch(created ? "/dev/null" : `a/${change.path}`, deleted ? "/dev/null" : `b/${change.path}`, before, after, undefined, undefined, {
    context: 3,
  });
  patch.isGit = true;
  if (created) {
    patch.isCreate = true;
    patch.newMode = gitMode(change.modeAfter ?? 0o644);
  } else if (deleted) {
    patch.isDelete = true;
    patch.oldMode = gitMode(change.modeBefore ?? 0o644);
  } else if (isSecretBearing(change.role) && change.modeBefore !== null && change.modeAfter !== null && change.modeBefore !== change.modeAfter) {
    patch.oldMode = gitMode(change.modeBefore);
    patch.newMode = gitMode(change.modeAfter);
  }
  if (change.role === "manifest" && patch.hunks.length === 0 && !created && !deleted)
    return `diff --git a/${change.path} b/${change.path}\n# only the hashes of the files above change (not shown)\n`;
  return formatPatch(patch);
}
