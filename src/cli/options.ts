// Every option a command takes, declared once: the table gives yargs' builder (help, validation,
// messages) and util.parseArgs' options for the everyday fast path (cli/fast-args.ts), so the two
// can never disagree about a flag.
import type { ParseArgsConfig } from "node:util";
import type { Argv } from "yargs";
import { TARGETS } from "../layout.js";

interface OptionSpec {
  type: "boolean" | "string";
  describe: string;
  alias?: string;
  default?: boolean | string;
  /** Repeatable (`--preset a --preset b`). */
  multiple?: boolean;
  choices?: readonly string[];
}

export type OptionTable = Record<string, OptionSpec>;

export type FastOptions = NonNullable<ParseArgsConfig["options"]>;

/** The options every command accepts. */
export const GLOBAL_OPTIONS: OptionTable = {
  config: {
    alias: "c",
    type: "string",
    describe: "Config file (default: llm.config.ts, .js, .json, .yaml or package.json#llm in --cwd, else the nearest one above it in the git repository)",
  },
  cwd: { type: "string", describe: "Folder to work in" },
  set: { type: "string", multiple: true, describe: "Override a config value for this run: --set path=value (JSON or text; repeatable)" },
  json: { type: "boolean", default: false, describe: "Machine-readable output on stdout" },
  quiet: { alias: "q", type: "boolean", default: false, describe: "Print errors only" },
  color: { type: "boolean", describe: "Colors (default: on at a terminal; --no-color or NO_COLOR=1 turn them off)" },
};

/** `--target`, for the commands that work on a target's files. */
export const TARGET_OPTION: OptionTable = {
  target: { type: "string", choices: TARGETS, describe: "Only this target's files: compose or kubernetes (default: the config's targets)" },
};

export function withOptions(y: Argv, table: OptionTable): Argv {
  let out = y;
  for (const [name, spec] of Object.entries(table)) {
    out = out.option(name, {
      type: spec.type,
      describe: spec.describe,
      ...(spec.alias ? { alias: spec.alias } : {}),
      ...(spec.default !== undefined ? { default: spec.default } : {}),
      // yargs' `--set` is a plain string that may repeat; the rest are arrays when repeatable.
      ...(spec.multiple && name !== "set" ? { array: true } : {}),
      ...(spec.choices ? { choices: [...spec.choices] } : {}),
    });
  }
  return out;
}

/** The table in util.parseArgs' terms (one-letter aliases become `short`). */
export function parseArgsOptions(table: OptionTable): FastOptions {
  return Object.fromEntries(
    Object.entries(table).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.alias?.length === 1 ? { short: spec.alias } : {}), ...(spec.multiple ? { multiple: true } : {}) },
    ]),
  );
}
