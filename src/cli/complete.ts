// Tab completion (`--get-yargs-completions`, asked by the script of `llm completion`): yargs'
// own answer (command and option names), plus what it cannot know: `help` (not a yargs command),
// the command names after it, and a command's positional values (completeWords).
import type { Command } from "./command.js";

export const COMPLETIONS_FLAG = "--get-yargs-completions";

type Done = (completions: string[]) => void;
type DefaultCompletion = (onCompleted: (error: Error | null, completions: string[] | undefined) => void) => void;

const nameOf = (command: Command) => command.command.split(" ")[0] as string;

/** The words typed before the one being completed, after the command's name (`llm`). */
const wordsBefore = (typed: readonly string[], current: string): string[] =>
  !current.startsWith("-") && typed.at(-1) === current ? typed.slice(0, -1) : [...typed];

const positionals = (words: readonly string[]) => words.filter((word) => !word.startsWith("-"));

/** The values the named command completes, found before yargs parses: yargs waits for a
 * completion function's answer only when it comes at once, and reading backups/ does not. */
export async function commandValues(completionArgs: readonly string[], cwd: string, commands: readonly Command[]): Promise<string[]> {
  const typed = completionArgs.slice(1);
  const words = wordsBefore(typed, typed.at(-1) ?? "");
  const [name, ...rest] = positionals(words);
  const command = commands.find((c) => nameOf(c) === name || (c.aliases ?? []).includes(name ?? ""));
  return command?.completeWords ? command.completeWords(rest, cwd).catch(() => []) : [];
}

/** yargs' "fallback" completion function (four parameters: it hands over its defaults). */
export function completer(commands: readonly Command[], values: readonly string[]) {
  return (current: string, argv: Record<string, unknown>, defaults: DefaultCompletion, done: Done): void => {
    // argv._ starts with the program's name as the shell typed it ("llm").
    const words = wordsBefore((argv["_"] as unknown[]).slice(1).map(String), current);
    const matching = (list: readonly string[]) => list.filter((value) => value.startsWith(current));
    defaults((error, found) => {
      const own = error ? [] : (found ?? []);
      if (current.startsWith("-")) return done(own);
      if (words.length === 0) return done([...own, ...matching(["help"])]);
      if (words[0] === "help") return done(words.length === 1 ? matching(commands.map(nameOf)) : []);
      return done([...own, ...matching(values)]);
    });
  };
}
