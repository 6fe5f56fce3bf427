// The shape of catalog/migrations.json (embedded at build time as src/generated/migrations.js).

export type StepKind = "host" | "generator" | "data" | "behaviour";

interface Condition {
  /** Ranges such as ">=1.12.0" or ">=3.6.4 <3.7.0" the deployed (`from`) and new (`to`) versions must be in. */
  from?: string;
  to?: string;
  changed?: boolean;
  upgrade?: boolean;
  downgrade?: boolean;
  seriesChanged?: boolean;
}

export interface MigrationStep {
  id: string;
  /** Catalog ids the step is about. */
  image: string[];
  kind: StepKind;
  /** A data step that cannot be undone: the plan says to back up before it. */
  oneWay?: boolean;
  /** When it applies; a list applies when any of its conditions does. */
  when: Condition | Condition[];
  title: string;
  why: string;
  commands: string[];
  /** MongoDB: the release series in order, and the commands for each one passed through. */
  series?: string[];
  perSeries?: string[];
  /** The first series whose setFeatureCompatibilityVersion asks for `confirm: true`. */
  confirmFrom?: string;
  source: string;
}

/** @public src/generated/migrations.d.ts, written by the build, types the embedded data with it. */
export interface MigrationCatalog {
  comment: string;
  steps: MigrationStep[];
  /** Every pin change between two releases whose steps were checked (`from` null: a new image). */
  reviewed: { image: string; from: string | null; to: string }[];
}
