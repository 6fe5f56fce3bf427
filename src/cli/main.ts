// `llm` entry: parse arguments, dispatch to one command, return an exit code. Never touches
// `process`: the bin passes a CliIO.
import path from "node:path";
import yargs from "yargs";
import type { RandomString } from "../secrets/store.js";
import { EXIT, type CliIO } from "./io.js";
import { generateCommand } from "./commands/generate.js";
import { validateCommand } from "./commands/validate.js";

export interface MainOptions {
  /** Tests pass a seeded generator; real runs use nanoid's crypto-random one. */
  random?: RandomString;
}

function parser(io: CliIO) {
  return yargs()
    .scriptName("llm")
    .usage("llm <command> [options]\n\nGenerate a private ChatGPT-style stack (Ollama, LibreChat, MongoDB, Meilisearch) for docker compose.")
    .option("config", { alias: "c", type: "string", describe: "Config file (default: llm.config.ts, .js, .json, .yaml or package.json#llm in --cwd)" })
    .option("cwd", { type: "string", describe: "Folder to work in", default: undefined })
    .option("json", { type: "boolean", default: false, describe: "Machine-readable output" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: "Print errors only" })
    .command("generate", "Write docker-compose.yml, .env, librechat.yaml and secrets.env from the config", (y) =>
      y.example("llm generate", "generate from ./llm.config.ts").example("llm generate --config examples/nvidia-workstation/llm.config.ts", "use another config"),
    )
    .command("validate", "Check the config (and its presets) without writing anything", (y) => y.example("llm validate", "check ./llm.config.ts"))
    .demandCommand(1, "name a command: generate or validate")
    .recommendCommands()
    .strict()
    .help()
    .alias("help", "h")
    .version(false)
    .wrap(Math.min(100, io.isTTY ? 100 : 100))
    .exitProcess(false);
}

export async function main(argv: readonly string[], io: CliIO, options: MainOptions = {}): Promise<number> {
  let output = "";
  let failure: Error | undefined;
  const parsed = await parser(io).parseAsync([...argv], {}, (error: Error | undefined, _argv: unknown, text: string) => {
    failure = error ?? undefined;
    output = text;
  });
  if (failure) {
    io.stderr(`${output ? `${output}\n` : ""}`);
    return EXIT.INVALID;
  }
  if (output) {
    io.stdout(`${output}\n`);
    return EXIT.OK;
  }
  const cwd = path.resolve(io.cwd, (parsed["cwd"] as string | undefined) ?? ".");
  const common = {
    cwd,
    ...(parsed["config"] ? { config: String(parsed["config"]) } : {}),
    json: Boolean(parsed["json"]),
    quiet: Boolean(parsed["quiet"]),
  };
  switch (parsed._[0]) {
    case "generate":
      return generateCommand(io, common, options.random);
    case "validate":
      return validateCommand(io, common);
    default:
      io.stderr(`unknown command ${String(parsed._[0])}\n`);
      return EXIT.INVALID;
  }
}
