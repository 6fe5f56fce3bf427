// What the data folders already on disk mean for the stack about to be written. A database opens
// only files of its own version (MongoDB: its release series or the one before; Meilisearch:
// exactly its own), so each lives in a folder named after its version. A stack whose folder does
// not exist yet while another version's does would start empty beside the data: for MongoDB that
// is refused until the data is moved or migrated; Meilisearch's index is rebuilt from MongoDB, so
// there it is a warning with the steps.
import type { Diagnostic } from "../errors.js";
import type { DataFolder, Notice, Stack } from "./types.js";

/** A move of a service's data from one version's folder to another's that a step of `llm
 * upgrade`'s plan makes (MongoDB's `mv`, Meilisearch's copy), after the new files are written. */
export interface PlannedDataMove {
  from: string;
  to: string;
}

export interface DataFindings {
  errors: Diagnostic[];
  warnings: Notice[];
}

/** Folders llm used before that no stack uses now, with what to do about their data. */
const RETIRED: Record<string, { message: string; hint: string }> = {
  "data/prometheus": {
    message: "data/prometheus is no longer used: Prometheus now runs as its image's user with its data in the named volume prometheus-data",
    hint: "to keep the history: docker compose run --rm --no-deps --user 0 --entrypoint sh -v ./data/prometheus:/old prometheus -c 'cp -a /old/. /prometheus/ && chown -R nobody:nobody /prometheus', then delete data/prometheus",
  },
  "data/grafana": {
    message:
      "data/grafana is no longer used: Grafana now runs as its image's user with its data in the named volume grafana-data (dashboards and the datasource are provisioned anew)",
    hint: "to keep users and preferences: docker compose run --rm --no-deps --user 0 --entrypoint sh -v ./data/grafana:/old grafana -c 'cp -a /old/. /var/lib/grafana/ && chown -R 472:0 /var/lib/grafana', then delete data/grafana",
  },
};

/** The image an earlier docker-compose.yml (written by llm) ran a service with. */
function previousImage(composeText: string | null, service: string): string | undefined {
  if (!composeText) return undefined;
  const escaped = service.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
  return new RegExp(`^  ${escaped}:\\n    image: (\\S+)$`, "m").exec(composeText)?.[1];
}

function otherFolders(folder: DataFolder, existing: ReadonlySet<string>): string[] {
  const prefix = `data/${folder.family}-`;
  return [...existing].filter((dir) => dir !== folder.path && (folder.legacy.includes(dir) || dir.startsWith(prefix))).sort();
}

/** `existing`: the non-empty folders under data/ ("data/mongodb-8.0"); `previousCompose`: the
 * docker-compose.yml on disk, which says which image wrote a folder an earlier llm named;
 * `planned`: the moves the upgrade plan's data steps make, whose new folder is empty until then. */
export function dataFolderFindings(
  stack: Stack,
  existing: ReadonlySet<string>,
  previousCompose: string | null,
  configFile: string,
  planned: readonly PlannedDataMove[] = [],
): DataFindings {
  const errors: Diagnostic[] = [];
  const warnings: Notice[] = [];
  for (const folder of stack.dataFolders) {
    if (existing.has(folder.path)) continue;
    const others = otherFolders(folder, existing);
    if (others.length === 0) continue;
    // Exactly the folder a planned step moves into this one: the plan's steps say what to do.
    if (others.every((dir) => planned.some((move) => move.from === dir && move.to === folder.path))) continue;
    const image = stack.services.find((s) => s.name === folder.service)?.image ?? folder.service;
    if (folder.change === "rebuild") {
      warnings.push({
        path: `${folder.service}.image`,
        message: `${others.join(" and ")} ${others.length === 1 ? "holds" : "hold"} the search index of another Meilisearch version; ${image} starts an empty index in ${folder.path}`,
        hint: `index the existing conversations once it runs: docker compose exec ${stack.librechat.services[0] ?? "librechat"} npm run reset-meili-sync (then restart LibreChat), and delete ${others.join(", ")}; or upgrade the old index in place (llm upgrade --plan)`,
      });
      continue;
    }
    const legacy = others.filter((dir) => folder.legacy.includes(dir));
    if (legacy.length > 0) {
      const before = previousImage(previousCompose, folder.service);
      errors.push({
        file: configFile,
        path: "mongodb.dataDir",
        message: `${legacy[0]} holds the MongoDB data an earlier llm set up${before ? ` (${before}, without authentication)` : " (without authentication)"}, but ${image} would start an empty database in ${folder.path}`,
        hint: `keep it as it is: set mongodb: { dataDir: "./${legacy[0]}", auth: false } in ${configFile} (a warning reminds you that it has no password); or move it, \`docker compose down && mv ${legacy[0]} ${folder.path}\`, and set mongodb: { auth: false } until you add the user (README: Upgrading)`,
      });
      continue;
    }
    const migration = folder.migration ?? { what: `${folder.service} data`, why: "", how: "", setting: `${folder.service}.image` };
    errors.push({
      file: configFile,
      path: migration.setting,
      message: `${others.join(" and ")} ${others.length === 1 ? "holds" : "hold"} ${migration.what} of another version, but ${image} would start an empty database in ${folder.path}${migration.why ? ` (${migration.why})` : ""}`,
      hint: `go back to the image that wrote it${migration.how ? `, or move the data across: ${migration.how}` : ""}`,
    });
  }
  for (const [dir, retired] of Object.entries(RETIRED)) {
    if (existing.has(dir) && !stack.dataFolders.some((f) => f.path === dir)) warnings.push({ path: "", ...retired });
  }
  return { errors, warnings };
}
