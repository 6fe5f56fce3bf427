// The names of the files `llm` reads and writes: its own state inside the output folder (paths
// relative to it, `/` separators), the modes of the folders it makes there, and the config
// formats `llm init` writes.

/** Folder for the tool's own state. */
export const STATE_DIR = ".llm";
/** Committed: every generated file with the sha256 of what was written (hand-edit detection). */
export const MANIFEST_FILE = `${STATE_DIR}/manifest.json`;
/** Not committed (gitignored): the lock, the journal and staged files of a run in progress. */
export const TX_DIR = `${STATE_DIR}/tx`;
/** The one file a person reads, edits and backs up secrets in (gitignored, 0600). */
export const SECRETS_FILE = "secrets.env";
/** Gitignored folder (0700) of files derived from secrets.env, each read only by the services that need it. */
export const PRIVATE_DIR = "secrets";
/** Gitignored folder (0700) of `llm backup`'s backups, one folder each, named by time. */
export const BACKUPS_DIR = "backups";
/** The Kubernetes target: the kustomization sits at the root (kustomize reads no file above its
 * folder, and its secretGenerator reads secrets.env), the manifests in kubernetes/, and the files
 * ConfigMaps are made of in kubernetes/config/, laid out as Compose lays them out at the root. */
export const KUSTOMIZATION_FILE = "kustomization.yaml";
/** The targets a folder can hold (the config's `targets`, `--target`). */
export const TARGETS = ["compose", "kubernetes"] as const;
export const KUBERNETES_DIR = "kubernetes";
export const KUBERNETES_CONFIG_DIR = `${KUBERNETES_DIR}/config`;

export type InitFormat = "ts" | "json" | "yaml";

/** The config formats `llm init` writes. */
export const FORMATS: readonly InitFormat[] = ["ts", "json", "yaml"];

/** Where `npm i -D local-llm-stack` puts the schema (package.json `exports["./schema.json"]`),
 * relative to a config at the project root. */
export const SCHEMA_PATH = "./node_modules/local-llm-stack/schemas/llm.config.schema.json";

/** Folders only their owner may enter: the tool's state and the files derived from secrets. */
const PRIVATE_FOLDERS = new Set([STATE_DIR, PRIVATE_DIR]);

/** The mode of a folder the tool owns (`relative` to the output folder): 0700 for its state and
 * the secrets' files, 0755 for the rest, whatever the umask. */
export function folderModeFor(relative: string): number {
  const first = relative.split("/", 1)[0] ?? "";
  return PRIVATE_FOLDERS.has(first) ? 0o700 : 0o755;
}

/** `a/b/c.yml` → `a`, `a/b`: the folders between the output folder and a file in it. */
export function foldersOf(relativeFile: string): string[] {
  const parts = relativeFile.split("/");
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join("/"));
  return out;
}

/** Which target a generated file belongs to, by where it lies; the rest belong to Compose, or to
 * every target (.gitignore, secrets.env and secrets/, which a run for one target keeps). */
export const isKubernetesFile = (path: string): boolean => path === KUSTOMIZATION_FILE || path.startsWith(`${KUBERNETES_DIR}/`);
