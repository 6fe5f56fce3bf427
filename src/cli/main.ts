// `llm` entry: parse arguments, dispatch to one command, return an exit code. Never touches
// `process`: the bin passes a CliIO.
import path from "node:path";
import yargs from "yargs";
import type { RandomString } from "../secrets/store.js";
import { COMMANDS } from "./commands/index.js";
import { EXIT, type CliIO } from "./io.js";

export interface MainOptions {
  random?: RandomString;
}

function parser() {
  let y = yargs()
    .scriptName("llm")
    .usage("llm <command> [options]\n\nGenerate a private ChatGPT-style stack (Ollama, LibreChat, MongoDB, Meilisearch) for docker compose.")
    .option("config", { alias: "c", type: "string", describe: "Config file (default: llm.config.ts, .js, .json, .yaml or package.json#llm in --cwd)" })
    .option("cwd", { type: "string", describe: "Folder to work in" })
    .option("json", { type: "boolean", default: false, describe: "Machine-readable output" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: "Print errors only" });
  for (const command of COMMANDS) y = y.command(command.command, command.describe, command.builder ?? ((b) => b));
  return y
    .demandCommand(1, `name a command: ${COMMANDS.map((c) => c.command.split(" ")[0]).join(", ")}`)
    .recommendCommands()
    .strict()
    .help()
    .alias("help", "h")
    .version(false)
    .wrap(100)
    .exitProcess(false);
}

export async function main(argv: readonly string[], io: CliIO, options: MainOptions = {}): Promise<number> {
  let output = "";
  let failure: Error | undefined;
  const parsed = await parser().parseAsync([...argv], {}, (error: Error | undefined, _argv: unknown, text: string) => {
    failure = error ?? undefined;
    output = text;
  });
  if (failure) {
    io.stderr(output ? `${output}\n` : `${failure.message}\n`);
    return EXIT.INVALID;
  }
  if (output) {
    io.stdout(`${output}\n`);
    return EXIT.OK;
  }
  const name = String(parsed._[0]);
  const command = COMMANDS.find((c) => c.command.split(" ")[0] === name);
  if (!command) {
    io.stderr(`unknown command ${name}\n`);
    return EXIT.INVALID;
  }
  const args = {
    ...parsed,
    cwd: path.resolve(io.cwd, (parsed["cwd"] as string | undefined) ?? "."),
    json: Boolean(parsed["json"]),
    quiet: Boolean(parsed["quiet"]),
  } as Parameters<typeof command.run>[0];
  if (!parsed["config"]) delete args.config;
  return command.run(args, { io, ...(options.random ? { random: options.random } : {}) });
}
