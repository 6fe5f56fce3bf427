// `llm` entry: parse arguments, dispatch to one command, return an exit code. Never touches
// `process`: the bin passes a CliIO.
import { TARGETS } from "../layout.js";
import { path } from "../util/path.js";
import type { Argv } from "yargs";
import pkg from "../../package.json" with { type: "json" };
import { applyConfigTimeLimit } from "../app/run-lifecycle.js";
import { folderState, type FolderState } from "../app/locate.js";
import { parseOverrides } from "./overrides.js";
import { LlmError } from "../errors.js";
import type { RandomString } from "../secrets/store.js";
import type { Command } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { COMPLETIONS_FLAG, commandValues, completer } from "./complete.js";
import { fastParse } from "./fast-args.js";
import { EXIT, type CliIO } from "./io.js";
import { GLOBAL_OPTIONS, withOptions } from "./options.js";
import { reportError } from "./report-error.js";
import { colorEnabled } from "./style.js";
import { usageError } from "./usage-error.js";
import { didYouMean } from "../util/did-you-mean.js";

export interface MainOptions {
  random?: RandomString;
  /** Parse with yargs even where the fast path applies (tests compare the two). */
  yargsOnly?: boolean;
  /** Called as a command's handler starts, or a tab completion is answered: the run is about to
   * do its work (not help, --version or a usage error). */
  onCommand?: () => void;
}

const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0   success",
  "  1   differences found (diff, generate --check), a doctor check failed, an image behind (outdated)",
  "  2   invalid config, preset, secrets file, manifest or command line",
  "  3   files could not be read or written",
  "  4   refused: files edited by hand (generate --force), a symlinked folder, another run's lock,",
  "      a config pin upgrade cannot edit, or a restore into images of another major version",
  "      (restore --force)",
  "  10  an image is behind and an advisory fixed since applies to it (outdated)",
  "  69  Ollama or Docker is not reachable, or a service is stopped (llm models, backup, restore)",
  "  70  internal error (please report it)",
  "  130 stopped by Ctrl-C",
].join("\n");

const nameOf = (command: Command) => command.command.split(" ")[0] as string;

/** Option names each command accepts, recorded when yargs builds it, for "did you mean". */
type KnownOptions = Map<string, string[]>;

async function parser(known: KnownOptions, completing: readonly string[]): Promise<Argv> {
  const { default: yargs } = await import("yargs");
  let y = yargs()
    .scriptName("llm")
    .usage("llm <command> [options]\n\nGenerate a private ChatGPT-style stack (Ollama, LibreChat, MongoDB, Meilisearch) for docker compose.");
  y = withOptions(y, GLOBAL_OPTIONS);
  for (const command of COMMANDS) {
    const builder = (b: Argv) => {
      const withOwn = withOptions(b, command.options ?? {});
      const built = command.builder ? command.builder(withOwn) : withOwn;
      // getOptions exists at run time but is missing from @types/yargs.
      const options = (built as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
      known.set(nameOf(command), Object.keys(options.key));
      return built;
    };
    y = y.command([command.command, ...(command.aliases ?? [])], command.describe, builder);
  }
  return (
    y
      // yargs answers `--get-yargs-completions` (what the script of `llm completion` asks); its own
      // script, which needs `llm` on PATH, hides behind a name nobody types.
      .completion("yargs-completion-script", false, completer(COMMANDS, completing))
      .demandCommand(1, "name a command")
      .strict()
      .help()
      .alias("help", "h")
      .version(pkg.version)
      .showHelpOnFail(false)
      .epilogue(`${EXIT_CODES_HELP}\n\nEvery command has examples: llm <command> --help`)
      .wrap(100)
      .exitProcess(false)
  );
}

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => nameOf(c) === name || (c.aliases ?? []).includes(name));
}

/** `llm help` and `llm help <command>` in the words yargs knows: `--help`, `<command> --help`. */
function helpRequest(argv: readonly string[]): readonly string[] | LlmError {
  if (argv[0] !== "help") return argv;
  const [, name, ...rest] = argv;
  if (name === undefined || name.startsWith("-")) return ["--help", ...(name === undefined ? [] : [name, ...rest])];
  if (rest.length > 0) return new LlmError("USAGE", `unexpected argument ${JSON.stringify(rest[0])} for \`llm help\``, { hint: `run \`llm help ${name}\`` });
  if (findCommand(name)) return [name, "--help"];
  const suggestion = didYouMean(name, COMMANDS.map(nameOf));
  return new LlmError("USAGE", `unknown command ${JSON.stringify(name)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`, {
    hint: "run `llm --help` to list the commands",
  });
}

export async function main(givenArgv: readonly string[], baseIo: CliIO, options: MainOptions = {}): Promise<number> {
  const argv = helpRequest(givenArgv);
  if (argv instanceof LlmError) return reportError({ ...baseIo, color: colorEnabled(undefined, baseIo) }, argv, givenArgv.includes("--json"));
  const fast = options.yargsOnly ? undefined : fastParse(argv, findCommand);
  if (fast) return dispatch(fast.command, fast.values, baseIo, options);
  const known: KnownOptions = new Map();
  const completing = argv[0] === COMPLETIONS_FLAG ? await commandValues(argv.slice(1), baseIo.cwd, COMMANDS) : [];
  // Every Tab press runs this: it is worth the code cache as much as any command.
  if (argv[0] === COMPLETIONS_FLAG) options.onCommand?.();
  const y = await parser(known, completing);
  if (argv.length === 0) {
    baseIo.stderr(`${await y.getHelp()}\n\n${whatIsMissing(folderState(baseIo.cwd))}\n`);
    return EXIT.INVALID;
  }
  let output = "";
  let failure: Error | undefined;
  const parsed = await y.parseAsync([...argv], {}, (error: Error | undefined, _argv: unknown, text: string) => {
    failure = error ?? undefined;
    output = text;
  });
  const io: CliIO = { ...baseIo, color: colorEnabled(parsed["color"] as boolean | undefined, baseIo) };
  const json = Boolean(parsed["json"]);
  if (failure) return reportError(io, usageError(failure.message, argv, known, COMMANDS.map(nameOf)), json);
  if (output) {
    io.stdout(`${output}\n`);
    return EXIT.OK;
  }
  const name = String(parsed._[0]);
  const command = findCommand(name);
  if (!command)
    return reportError(io, new LlmError("USAGE", `unknown command ${JSON.stringify(name)}`, { hint: "run `llm --help` to list the commands" }), json);
  return dispatch(command, parsed, baseIo, options);
}

/** `llm` alone: the help, then what this folder lacks for the next step. */
function whatIsMissing(state: FolderState): string {
  if (state.kind === "problem") {
    const { error } = state;
    if (error.code === "CONFIG_NOT_FOUND")
      return `No command given, and ${error.message.replace(/ \(looked for .*\)$/, "")}.\nStart with: llm init (it writes llm.config.ts)`;
    return `No command given, and the config cannot be chosen: ${error.message}.\n${error.hint ?? ""}`;
  }
  if (!state.generated) return `No command given. Config: ${state.config}, not generated yet.\nNext: llm generate`;
  return `No command given. Config: ${state.config}, generated.\nNext: llm diff (what an edit would change), llm generate (apply it), llm doctor (can this host run it)`;
}

/** Runs a command with parsed arguments, from yargs or from the fast path alike. */
async function dispatch(command: Command, parsed: Record<string, unknown>, baseIo: CliIO, options: MainOptions): Promise<number> {
  const io: CliIO = { ...baseIo, color: colorEnabled(parsed["color"] as boolean | undefined, baseIo) };
  const json = Boolean(parsed["json"]);
  const timeLimit = applyConfigTimeLimit(io.env);
  if (!timeLimit.ok) return reportError(io, timeLimit.error, json);
  const assignments = ([] as unknown[]).concat(parsed["set"] ?? []).map(String);
  const resolveOptions = parseOverrides(assignments);
  if (!resolveOptions.ok) return reportError(io, resolveOptions.error, json);
  const target = parsed["target"];
  if (target !== undefined) {
    // The fast path does not check choices: yargs does, in the same words.
    if (!(TARGETS as readonly unknown[]).includes(target)) {
      return reportError(
        io,
        new LlmError("USAGE", `--target ${JSON.stringify(target)}: expected ${TARGETS.join(" or ")}`, { hint: "e.g. --target kubernetes" }),
        json,
      );
    }
    resolveOptions.value.target = target as (typeof TARGETS)[number];
  }
  const args = {
    ...parsed,
    cwd: path.resolve(io.cwd, (parsed["cwd"] as string | undefined) ?? "."),
    json,
    quiet: Boolean(parsed["quiet"]),
    resolveOptions: resolveOptions.value,
  } as Parameters<typeof command.run>[0];
  if (!parsed["config"]) delete args.config;
  options.onCommand?.();
  return command.run(args, { io, ...(options.random ? { random: options.random } : {}) });
}
