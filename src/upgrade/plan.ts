// Which of catalog/migrations.json's steps apply to moving a folder's images from what it was
// generated with to what it will be, in the order to take them: what the host must have first,
// then a backup before any step that cannot be undone, the new files, the images, the data steps
// and last what behaves differently. Pure: the commands are text for the user to run.
import { migrationCatalog } from "../generated/migrations.js";
import { compareVersions, imageTag, tagVersion } from "../stack/images.js";
import { imageRepository, parseVersion, type Version } from "./catalog-match.js";
import type { MigrationStep, StepKind } from "./migration-types.js";

/** One service's move. */
export interface ImageMove {
  /** Catalog id. */
  image: string;
  service: string;
  from: string;
  to: string;
  /** Its data folders before and after ("data/meilisearch-v1.12.3"), when it has one. */
  fromDir?: string;
  toDir?: string;
}

export interface PlannedStep {
  id: string;
  kind: StepKind | "backup" | "regenerate" | "pull" | "start";
  oneWay: boolean;
  service?: string;
  title: string;
  why?: string;
  commands: string[];
  source?: string;
}

export interface PlanContext {
  /** How the user runs llm ("npx llm"). */
  llm: string;
  /** The first LibreChat service, where its npm scripts run. */
  librechat: string;
  /** `llm upgrade` already moved the pins and wrote the files: the plan starts after that. */
  regenerated: boolean;
  /** MongoDB runs with its root user (mongodb.auth): its shell logs in as that user. */
  mongoAuth: boolean;
  /** `llm backup` can back this stack up (it needs the Compose target). */
  backup: boolean;
}

// The root user the stack creates (stack/build.ts); the password is read inside the container.
const MONGO_LOGIN = ' -u librechat -p "$MONGO_INITDB_ROOT_PASSWORD"';

function inRange(version: Version, range: string | undefined): boolean {
  if (range === undefined) return true;
  return range
    .split(/\s+/)
    .filter(Boolean)
    .every((comparator) => {
      const match = /^(>=|<=|>|<|=)(.+)$/.exec(comparator);
      const bound = match ? parseVersion(match[2]!) : undefined;
      if (!match || !bound) throw new Error(`catalog/migrations.json: ${JSON.stringify(comparator)} is not a comparator`);
      const d = compareVersions(version, bound);
      return { ">=": d >= 0, "<=": d <= 0, ">": d > 0, "<": d < 0, "=": d === 0 }[match[1]!]!;
    });
}

const series = (v: Version) => `${v[0]}.${v[1] ?? 0}`;

function applies(step: MigrationStep, move: ImageMove, from: Version, to: Version): boolean {
  const order = compareVersions(from, to);
  if (!step.image.includes(move.image)) return false;
  if (order === 0 && imageTag(move.from) === imageTag(move.to)) return false;
  return [step.when].flat().some((when) => {
    if (when.changed && order === 0) return false;
    if (when.upgrade && order >= 0) return false;
    if (when.downgrade && order <= 0) return false;
    if (when.seriesChanged && series(from) === series(to)) return false;
    return inRange(from, when.from) && inRange(to, when.to);
  });
}

function fill(command: string, values: Record<string, string>): string {
  return command.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function commandsOf(step: MigrationStep, move: ImageMove, from: Version, to: Version, context: PlanContext): string[] {
  const values: Record<string, string> = {
    service: move.service,
    from: series(from),
    to: series(to),
    fromDir: move.fromDir ?? `data/${move.image}-${imageTag(move.from)}`,
    toDir: move.toDir ?? `data/${move.image}-${imageTag(move.to)}`,
    llm: context.llm,
    librechat: context.librechat,
    auth: context.mongoAuth ? MONGO_LOGIN : "",
  };
  const commands = step.commands.map((command) => fill(command, values));
  if (step.series && step.perSeries) {
    const start = step.series.indexOf(series(from));
    const end = step.series.indexOf(series(to));
    if (start !== -1 && end > start) {
      for (let i = start + 1; i <= end; i++) {
        const hop = step.series[i]!;
        const confirm = step.confirmFrom && compareVersions(parseVersion(hop)!, parseVersion(step.confirmFrom)!) >= 0 ? ", confirm: true" : "";
        // The last hop lands on the exact new pin, not on the series' moving tag.
        const hopImage = i === end ? move.to : `${imageRepository(move.to)}:${hop}`;
        commands.push(...step.perSeries.map((command) => fill(command, { ...values, series: hop, previous: step.series![i - 1]!, confirm, hopImage })));
      }
    }
  }
  return commands;
}

/** The catalog's steps that moving one image from `from` to `to` needs, in the catalog's order. */
export function stepsFor(move: ImageMove): MigrationStep[] {
  const from = tagVersion(move.from);
  const to = tagVersion(move.to);
  if (!from || !to) return [];
  return migrationCatalog.steps.filter((step) => applies(step, move, from, to));
}

/** The steps of every move, in order. A move whose versions cannot be read gets none (the caller
 * says so). */
export function planSteps(moves: readonly ImageMove[], context: PlanContext): PlannedStep[] {
  const found: (PlannedStep & { order: number })[] = [];
  for (const move of moves) {
    for (const step of stepsFor(move)) {
      const from = tagVersion(move.from)!;
      const to = tagVersion(move.to)!;
      found.push({
        order: { host: 0, generator: 1, data: 2, behaviour: 3 }[step.kind],
        id: step.id,
        kind: step.kind,
        oneWay: step.oneWay === true,
        service: move.service,
        title: step.title,
        why: step.why,
        commands: commandsOf(step, move, from, to, context),
        source: step.source,
      });
    }
  }
  const byKind = (kind: StepKind) => found.filter((step) => step.kind === kind).map(({ order: _order, ...step }) => step);
  const changed = moves.some((move) => move.from !== move.to);
  if (!changed) return [];
  const steps: PlannedStep[] = [...byKind("host")];
  if (found.some((step) => step.oneWay)) {
    steps.push({
      id: "backup",
      kind: "backup",
      oneWay: false,
      title: context.backup
        ? "Back up before the one-way steps below: they change stored data so that the old version cannot read it"
        : "Back up before the one-way steps below: they change stored data so that the old version cannot read it (llm backup works with the Compose target only: back up the cluster with its own tools, a volume snapshot or mongodump through kubectl exec)",
      commands: context.backup ? [`${context.llm} backup`] : [],
    });
  }
  steps.push({
    id: "regenerate",
    kind: "regenerate",
    oneWay: false,
    title: context.regenerated ? "The pins were moved and the files written" : "Move the pins and write the files",
    commands: context.regenerated ? [] : [`${context.llm} upgrade`],
  });
  // What the new files change by themselves, said so that nothing in them comes as a surprise.
  steps.push(...byKind("generator"));
  steps.push({ id: "pull", kind: "pull", oneWay: false, title: "Fetch the new images", commands: ["docker compose pull"] });
  steps.push(...byKind("data"));
  steps.push({ id: "start", kind: "start", oneWay: false, title: "Start the stack on the new images", commands: ["docker compose up -d"] });
  steps.push(...byKind("behaviour"));
  return steps;
}
