// A backup's own record, `backup.json`: what it holds, each file's SHA-256 and size, the images
// it was taken from, what it left out. A backup is complete only when `COMPLETE` exists and
// names the SHA-256 of that record: the marker is written last, so a backup cut short at any
// point (a failed dump, Ctrl-C, a power loss) never looks complete.
import type { Skipped } from "./plan.js";

export const BACKUP_MANIFEST = "backup.json";
export const COMPLETE_MARKER = "COMPLETE";
export const INCOMPLETE_MARKER = "INCOMPLETE";
/** Copies of the output folder's files, under their own relative paths. */
export const FILES_DIR = "files";
const FORMAT = "local-llm-stack backup 1";

export interface BackupEntry {
  /** Relative to the backup folder: "mongodb.archive.gz", "files/secrets.env". */
  file: string;
  what: string;
  sha256: string;
  bytes: number;
  /** A dump: the service it came from. */
  service?: string;
  /** A copied file: its path in the output folder and its mode. */
  source?: { path: string; mode: number };
}

export interface BackupManifest {
  format: typeof FORMAT;
  name: string;
  /** ISO 8601, from the injected clock. */
  created: string;
  stack: string;
  images: Record<string, string>;
  entries: BackupEntry[];
  skipped: Skipped[];
}

export function manifestText(manifest: Omit<BackupManifest, "format">): string {
  return `${JSON.stringify({ format: FORMAT, ...manifest }, null, 2)}\n`;
}

/** The complete marker's text: the record it vouches for. */
export const completeText = (manifestSha256: string): string => `${BACKUP_MANIFEST} sha256 ${manifestSha256}\n`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function isEntry(value: unknown): value is BackupEntry {
  if (!isRecord(value)) return false;
  const { file, sha256, bytes, source } = value;
  if (typeof file !== "string" || !isSafeRelative(file) || typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) return false;
  if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 0) return false;
  if (source === undefined) return typeof value["service"] === "string";
  return isRecord(source) && typeof source["path"] === "string" && isSafeRelative(source["path"]) && typeof source["mode"] === "number";
}

/** A path that stays inside its folder: restore writes to it. */
export function isSafeRelative(relative: string): boolean {
  return (
    relative !== "" &&
    !relative.startsWith("/") &&
    !relative.includes("\\") &&
    relative.split("/").every((part) => part !== "" && part !== "." && part !== "..")
  );
}

/** The record read back, or why it is not one this tool wrote. */
export function parseManifest(text: string): BackupManifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (!isRecord(value) || value["format"] !== FORMAT) return `not a ${FORMAT} record`;
  if (typeof value["name"] !== "string" || typeof value["created"] !== "string" || typeof value["stack"] !== "string") return "name, created or stack missing";
  const images = value["images"];
  if (!isRecord(images) || !Object.values(images).every((image) => typeof image === "string")) return "images is not a map of service to image";
  if (!Array.isArray(value["entries"]) || !value["entries"].every(isEntry)) return "an entry has no file, sha256, size or origin";
  if (!Array.isArray(value["skipped"])) return "skipped is not a list";
  return value as unknown as BackupManifest;
}

/** `2026-12-04T00-53-29Z`: sorts by time, and holds no `:` (which some filesystems refuse). */
export function backupName(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/:/g, "-");
}

/** The part of an image's tag that says whether its data and files carry over: the first number
 * (`mongo:8.0.29` → "8"), or the first two before 1.0 (`v0.8.7` → "0.8"), where a minor release
 * may break as a major one does; pgvector's adds its PostgreSQL major. null when the tag names no version (`latest`, a digest). */
export function majorOf(image: string): string | null {
  const withoutDigest = image.split("@")[0] ?? image;
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  if (colon <= slash) return null;
  const tag = withoutDigest.slice(colon + 1);
  const match = /^v?(\d+)(?:\.(\d+))?/.exec(tag);
  if (!match) return null;
  const major = match[1] === "0" ? `0.${match[2] ?? "0"}` : (match[1] as string);
  // pgvector's tags carry the PostgreSQL major its data belongs to: `0.8.6-pg15-trixie`.
  const postgres = /-pg(\d+)/.exec(tag)?.[1];
  return postgres ? `${major}-pg${postgres}` : major;
}

/** The repository without its tag: `mongo:8.0.29` → `mongo`. */
function repositoryOf(image: string): string {
  const withoutDigest = image.split("@")[0] ?? image;
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

export interface ImageChange {
  service: string;
  backup: string;
  now: string;
}

/** The services of `services` whose image now differs from the backup's in repository or major
 * version (or names no version and differs at all): their data may not open. */
export function majorChanges(backup: Record<string, string>, now: Record<string, string>, services: readonly string[]): ImageChange[] {
  const changes: ImageChange[] = [];
  for (const service of services) {
    const before = backup[service];
    const after = now[service];
    if (before === undefined || after === undefined || before === after) continue;
    const same = repositoryOf(before) === repositoryOf(after) && majorOf(before) !== null && majorOf(before) === majorOf(after);
    if (!same) changes.push({ service, backup: before, now: after });
  }
  return changes;
}
