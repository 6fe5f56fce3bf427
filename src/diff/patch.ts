// One change as a git-style unified diff (jsdiff does the line diff and the formatting), with
// secrets redacted first. Plain text: the CLI adds colors.
import { formatPatch, structuredPatch } from "diff";
import { isSecretBearing, type FileChange } from "./changes.js";
import type { Redactor } from "./redact.js";

const gitMode = (mode: number) => `100${mode.toString(8).padStart(3, "0")}`;

/** "" when the file would not change. */
export function unifiedPatch(change: FileChange, redact: Redactor): string {
  if (change.kind === "unchanged") return "";
  const before = change.before === null ? "" : redact(change.before, change.role);
  const after = change.after === null ? "" : redact(change.after, change.role);
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
  return formatPatch(patch);
}
