import type { Argv } from "yargs";
import type { OptionTable } from "./options.js";
import type { ResolveOptions } from "../config/resolve.js";
import type { RandomString } from "../secrets/store.js";
import type { CliIO } from "./io.js";

/** Options every command accepts. */
export interface GlobalArgs {
  cwd: string;
  config?: string;
  json: boolean;
  quiet: boolean;
  /** `--set path=value` overrides, already parsed: pass to resolveConfig / runGenerate. */
  resolveOptions: ResolveOptions;
}

export interface CommandContext {
  io: CliIO;
  /** Tests pass a seeded generator; real runs use nanoid's crypto-random one. */
  random?: RandomString;
}

/** One `llm` command: its yargs definition and its handler. Registered in commands/index.ts. */
export interface Command {
  /** yargs command string, e.g. "generate" or "models <action> [names..]". */
  command: string;
  /** Other names for the command, e.g. "config" for "explain". */
  aliases?: string[];
  describe: string;
  /** Its own options (besides the global ones). */
  options?: OptionTable;
  /** Positionals and examples. */
  builder?: (y: Argv) => Argv;
  /** No positionals and only plain flags: the everyday invocations skip loading yargs
   * (cli/fast-args.ts). */
  fast?: boolean;
  /** Tab completion of the positional after `words` (those typed after the command's name), in
   * the folder `cwd`: values yargs cannot know (secrets' actions, the backups' names). */
  completeWords?: (words: readonly string[], cwd: string) => Promise<string[]>;
  run: (args: GlobalArgs & Record<string, unknown>, context: CommandContext) => Promise<number>;
}
