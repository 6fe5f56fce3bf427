// The manifest: every file `llm generate` owns, with the sha256 of what it last wrote. It tells a
// hand edit (the file no longer matches its hash) from a file the tool may rewrite or remove, and
// which files belong to a module that was switched off. Committed beside the generated files:
// deterministic (sorted, no dates or versions) and free of secrets (secrets.env is never listed).
import { sha256Hex } from "../util/sha256.js";
import { path } from "../util/path.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { MANIFEST_FILE, isKubernetesFile } from "../layout.js";
import type { Target } from "../stack/types.js";
import { extractManagedBlock } from "../outputs/gitignore.js";

interface ManifestEntry {
  /** Absent for private files: a hash of a secret does not belong in a committed file. */
  sha256?: string;
  /** The file belongs to the user; only its managed block is generated (and hashed). */
  managedBlock?: boolean;
  /** Derived from secrets.env, gitignored: listed so it is removed with its module, never hashed. */
  private?: boolean;
}

export interface Manifest {
  files: Record<string, ManifestEntry>;
  /** Names (never values) of the secrets this folder has had: a later run that finds one missing
   * knows it was lost rather than never made. Absent in manifests written before it existed. */
  secrets?: string[];
  /** Service → the image the files were generated with: the "from" of `llm outdated` and `llm
   * upgrade`, known offline. Absent in manifests written before it existed. */
  images?: Record<string, string>;
}

export interface ManifestSource {
  path: string;
  contents: string;
  managedBlock: boolean;
}

const COMMENT =
  "Written by `llm generate`: the files it generated and the sha256 of what it wrote, so a hand edit is noticed, the names (never the values) of the secrets it made, so a lost one is noticed, and the image each service was generated with, which `llm outdated` and `llm upgrade` start from. Commit it; do not edit it.";

/** A secret's name as the manifest may hold it. */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A compose service name, and an image reference without blanks or control characters. */
const SERVICE_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const IMAGE_REF = /^[\x21-\x7e]{1,512}$/;

export const sha256: (text: string) => string = sha256Hex;

/** The part of a file the tool owns: the whole text, or only its managed block. */
export function ownedPart(text: string, managedBlock: boolean): string | null {
  return managedBlock ? extractManagedBlock(text) : text;
}

/** A run for one target (`--target`) keeps the other targets' files as they are: their entries
 * pass into the new manifest unchanged (`kept`), and they are left out of what the run owns, so
 * they are neither rewritten nor removed. Every other run owns the whole folder. */
export function otherTargetsFiles(
  manifest: Manifest | null,
  wanted: ReadonlySet<string>,
  onlyTarget: Target | undefined,
): { kept: Manifest["files"]; owned: Manifest | null } {
  if (!manifest || !onlyTarget) return { kept: {}, owned: manifest };
  const kept: Manifest["files"] = {};
  const owned: Manifest["files"] = {};
  for (const [file, entry] of Object.entries(manifest.files)) {
    const other = !wanted.has(file) && (isKubernetesFile(file) ? "kubernetes" : "compose") !== onlyTarget;
    (other ? kept : owned)[file] = entry;
  }
  return { kept, owned: { files: owned } };
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildManifest(
  files: readonly ManifestSource[],
  privateFiles: readonly { path: string }[] = [],
  secrets: Iterable<string> = [],
  kept: Manifest["files"] = {},
  images: Record<string, string> = {},
): Manifest {
  const entries: [string, ManifestEntry][] = [
    ...Object.entries(kept),
    ...files.map((file): [string, ManifestEntry] => [
      file.path,
      { sha256: sha256(ownedPart(file.contents, file.managedBlock) ?? ""), ...(file.managedBlock ? { managedBlock: true } : {}) },
    ]),
    ...privateFiles.map((file): [string, ManifestEntry] => [file.path, { private: true }]),
  ];
  return {
    files: Object.fromEntries(entries.sort(([a], [b]) => byCodeUnit(a, b))),
    secrets: [...new Set(secrets)].sort(byCodeUnit),
    images: Object.fromEntries(Object.entries(images).sort(([a], [b]) => byCodeUnit(a, b))),
  };
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify({ comment: COMMENT, version: 1, files: manifest.files, secrets: manifest.secrets ?? [], images: manifest.images ?? {} }, null, 2)}\n`;
}

/** A path the manifest may name: relative, inside the output folder, and not the tool's own state. */
function isSafeRelativePath(file: string): boolean {
  if (file === "" || file.includes("\\") || path.posix.isAbsolute(file)) return false;
  const normalized = path.posix.normalize(file);
  return (
    normalized === file &&
    normalized !== "." &&
    !normalized.startsWith("../") &&
    normalized !== ".." &&
    !normalized.startsWith(".llm/") &&
    !normalized.startsWith(".git/")
  );
}

function invalid(message: string): Result<never> {
  return fail(
    new LlmError("MANIFEST_INVALID", `${MANIFEST_FILE} is not a manifest written by llm`, {
      diagnostics: [{ file: MANIFEST_FILE, path: "", message }],
      hint: `restore it from git (git checkout -- ${MANIFEST_FILE}) or delete it; without it, generate overwrites only files equal to what it would write (or everything with --force)`,
    }),
  );
}

/** null when there is no manifest yet (a first run, or a folder generated before manifests). */
export function parseManifest(text: string | null): Result<Manifest | null> {
  if (text === null) return ok(null);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return invalid(`not JSON: ${(error as Error).message}`);
  }
  const files = (data as { files?: unknown } | null)?.files;
  if ((data as { version?: unknown } | null)?.version !== 1 || !files || typeof files !== "object" || Array.isArray(files)) {
    return invalid('expected {"version": 1, "files": {...}}');
  }
  const out: Record<string, ManifestEntry> = {};
  for (const [file, entry] of Object.entries(files as Record<string, unknown>)) {
    const { sha256: hash, managedBlock, private: isPrivate } = (entry ?? {}) as { sha256?: unknown; managedBlock?: unknown; private?: unknown };
    if (!isSafeRelativePath(file)) return invalid(`files: ${JSON.stringify(file)} is not a path inside the output folder`);
    if (isPrivate === true) {
      out[file] = { private: true };
      continue;
    }
    if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) return invalid(`files.${file}.sha256: expected 64 hex characters`);
    out[file] = { sha256: hash, ...(managedBlock === true ? { managedBlock: true } : {}) };
  }
  const manifest: Manifest = { files: out };
  const secrets = (data as { secrets?: unknown }).secrets;
  if (secrets !== undefined) {
    if (!Array.isArray(secrets) || !secrets.every((name) => typeof name === "string" && SECRET_NAME.test(name)))
      return invalid("secrets: expected a list of secret names");
    manifest.secrets = secrets as string[];
  }
  const images = (data as { images?: unknown }).images;
  if (images !== undefined) {
    if (!images || typeof images !== "object" || Array.isArray(images)) return invalid('images: expected {"service": "image:tag"}');
    for (const [service, image] of Object.entries(images as Record<string, unknown>)) {
      if (!SERVICE_NAME.test(service) || typeof image !== "string" || !IMAGE_REF.test(image))
        return invalid(`images.${service}: expected an image reference such as "getmeili/meilisearch:v1.35.1"`);
    }
    manifest.images = images as Record<string, string>;
  }
  return ok(manifest);
}
