// The everyday invocations (`llm generate`, `llm validate --json`, …) parsed with Node's own
// util.parseArgs instead of yargs, which costs ~60 ms to load. Only a command marked `fast`, called
// with nothing but known options, takes this path; anything else — help, a typo, an unknown flag,
// positionals — goes to yargs, which owns every message. Both read the same option tables
// (cli/options.ts).
import { parseArgs } from "node:util";
import type { Command } from "./command.js";
import { GLOBAL_OPTIONS, parseArgsOptions } from "./options.js";

export interface FastParse {
  command: Command;
  values: Record<string, unknown>;
}

export function fastParse(argv: readonly string[], findCommand: (name: string) => Command | undefined): FastParse | undefined {
  const [name, ...rest] = argv;
  const command = name ? findCommand(name) : undefined;
  if (!command?.fast || rest.some((arg) => arg === "--help" || arg === "-h" || arg === "--version")) return undefined;
  // util.parseArgs on Node 20 has no `--no-` negation; this is the one negated flag users type.
  const noColor = rest.includes("--no-color");
  const args = rest.filter((arg) => arg !== "--no-color");
  try {
    const { values, positionals } = parseArgs({
      args,
      options: parseArgsOptions({ ...GLOBAL_OPTIONS, ...command.options }),
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) return undefined;
    if (noColor) {
      if (values["color"] !== undefined) return undefined;
      values["color"] = false;
    }
    return { command, values: { json: false, quiet: false, ...values } };
  } catch {
    return undefined;
  }
}
