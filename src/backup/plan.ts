// What `llm backup` copies out of a Compose stack and how `llm restore` puts it back: one step
// per database, volume and file, each a `docker compose` command over the generated project.
// Pure: the stack in, the steps out; app/backup.ts runs them.
//
// Secrets never reach a command line, on the host or in a container (where the host's `ps` sees
// it too): every step that needs a password reads it inside the container, from the variables
// and files the stack already gives that service (MongoDB's MONGO_INITDB_ROOT_PASSWORD from
// secrets/mongodb.env, PostgreSQL's POSTGRES_PASSWORD_FILE), and hands it over in a file or the
// environment. docs/upstream-facts.md ("Backups") says where each tool comes from.
import type { Stack } from "../stack/types.js";

/** One piece of the backup: a stream out of a container into `file`, and the reverse. */
export interface DumpStep {
  kind: "dump";
  /** The file in the backup folder, e.g. "mongodb.archive.gz". */
  file: string;
  /** What it holds, for the manifest and the messages. */
  what: string;
  service: string;
  /** `docker` arguments whose stdout is the file. */
  backup: string[];
  /** `docker` arguments that read the file on stdin. */
  restore: string[];
}

/** A file of the output folder copied as it is (the config, secrets.env, secrets/). */
export interface FileStep {
  kind: "file";
  /** Relative to the output folder; the copy is `files/<path>` in the backup. */
  path: string;
  what: string;
}

type BackupStep = DumpStep | FileStep;

/** Something a backup leaves out on purpose, and how it comes back. */
export interface Skipped {
  what: string;
  why: string;
}

export interface BackupPlan {
  steps: BackupStep[];
  skipped: Skipped[];
  /** The services the dumps run in: each must be running. */
  services: string[];
  /** The image of every service: the one the folder was last generated with (restore compares majors). */
  images: Record<string, string>;
}

export interface BackupOptions {
  /** The config file, relative to the output folder. */
  configFile: string;
  withModels: boolean;
  /** What the folder was generated with (.llm/manifest.json `images`): what runs, where the
   * config's pins may have moved since (`llm upgrade` before its data steps). */
  deployed?: Readonly<Record<string, string>>;
}

/** `mongodump ARGS` or `mongorestore ARGS` as root of `admin` when the stack runs MongoDB with a
 * password. The password goes in a `--config` file (0600, removed on exit) that the shell's
 * builtin printf writes: on the command line (`--password`) any user of the host could read it
 * with `ps`, as the tools themselves warn. MONGO_PASSWORD holds only letters, digits and `-._~`
 * (secret-specs.ts), so it is safe in a double-quoted YAML scalar. */
function mongoTool(tool: "mongodump" | "mongorestore", args: string): string {
  return [
    `if [ -z "\${MONGO_INITDB_ROOT_USERNAME:-}" ]; then exec ${tool} ${args}; fi`,
    'set -e; umask 077; config="$(mktemp)"; trap \'rm -f "$config"\' EXIT',
    'printf \'password: "%s"\\n\' "$MONGO_INITDB_ROOT_PASSWORD" > "$config"',
    `${tool} --config "$config" --username "$MONGO_INITDB_ROOT_USERNAME" --authenticationDatabase admin ${args}`,
  ].join("; ");
}

const MONGO_DUMP = mongoTool("mongodump", "--archive --gzip --quiet");
const MONGO_RESTORE = mongoTool("mongorestore", "--archive --gzip --drop --quiet");
// Over TCP with the password file the service already mounts, so nothing depends on how the
// socket is authenticated.
const PG_PASSWORD = 'PGPASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"; export PGPASSWORD; ';
const PG_DUMP = `${PG_PASSWORD}exec pg_dump --format=custom -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"`;
const PG_RESTORE = `${PG_PASSWORD}exec pg_restore --clean --if-exists --no-owner -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"`;

const exec = (service: string, command: string[]): string[] => ["compose", "exec", "-T", service, ...command];
const shell = (service: string, script: string): string[] => exec(service, ["sh", "-c", script]);

/** The volume's contents as a tar stream, and back (files added since the backup are kept). */
function tarStep(service: string, folder: string, file: string, what: string, members = "."): DumpStep {
  return {
    kind: "dump",
    file,
    what,
    service,
    backup: exec(service, ["tar", "-C", folder, "-cf", "-", members]),
    restore: exec(service, ["tar", "-C", folder, "-xf", "-"]),
  };
}

const OLLAMA_HOME = "/root/.ollama";

export function planBackup(stack: Stack, options: BackupOptions): BackupPlan {
  const steps: BackupStep[] = [];
  const skipped: Skipped[] = [];
  const services = new Set<string>();
  const byName = new Map(stack.services.map((s) => [s.name, s]));
  const add = (step: DumpStep) => {
    steps.push(step);
    services.add(step.service);
  };

  if (byName.has("mongodb")) {
    add({
      kind: "dump",
      file: "mongodb.archive.gz",
      what: "MongoDB (mongodump --archive --gzip: conversations, users, stored credentials)",
      service: "mongodb",
      backup: shell("mongodb", MONGO_DUMP),
      restore: shell("mongodb", MONGO_RESTORE),
    });
  }
  if (byName.has("vectordb")) {
    add({
      kind: "dump",
      file: "vectordb.pgdump",
      what: "PostgreSQL of the rag module (pg_dump --format=custom: the embeddings)",
      service: "vectordb",
      backup: shell("vectordb", PG_DUMP),
      restore: shell("vectordb", PG_RESTORE),
    });
  }
  const librechat = stack.librechat.services[0];
  const app = librechat ? byName.get(librechat) : undefined;
  for (const mount of app?.mounts ?? []) {
    if (mount.kind !== "volume" || mount.scratch) continue;
    add(tarStep(app!.name, mount.target, `${mount.source}.tar`, `LibreChat's volume ${mount.source} (${mount.target})`));
  }
  const ollama = stack.services.find((s) => s.mounts.some((m) => m.kind === "bind" && m.target === OLLAMA_HOME));
  if (ollama) {
    if (options.withModels) add(tarStep(ollama.name, OLLAMA_HOME, "ollama-models.tar", "Ollama's models", "models"));
    else skipped.push({ what: "Ollama's models", why: "they can be pulled again (docker compose up ollama-pull); --with-models includes them" });
  }
  if (byName.has("meilisearch")) {
    skipped.push({
      what: "Meilisearch's search index",
      why: `it is rebuilt from MongoDB: after a restore, docker compose exec ${librechat ?? "librechat"} npm run reset-meili-sync (then restart LibreChat)`,
    });
  }

  steps.push({ kind: "file", path: options.configFile, what: "the config" });
  steps.push({ kind: "file", path: stack.secretsFile, what: "the secrets" });
  for (const file of [...stack.privateFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    steps.push({ kind: "file", path: file.path, what: "a file derived from the secrets" });
  }
  const images = Object.fromEntries(stack.services.map((s) => [s.name, options.deployed?.[s.name] ?? s.image]));
  return { steps, skipped, services: [...services], images };
}
