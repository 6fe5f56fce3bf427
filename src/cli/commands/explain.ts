import { explainConfig } from "../../app/explain.js";
import { TARGET_OPTION } from "../options.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { styleOf, type Style } from "../style.js";
import { showValue, table } from "../table.js";

function colorSource(s: Style, source: string): string {
  if (source === "defaults") return s.dim(source);
  if (source.startsWith("preset ")) return s.cyan(source);
  if (source === "--set") return s.magenta(source);
  return s.green(source);
}

export const explain: Command = {
  command: "explain [path]",
  aliases: ["config"],
  describe: "Print the resolved config: every value and the layer it came from (default, preset, your file, --set)",
  options: TARGET_OPTION,
  builder: (y) =>
    y
      .positional("path", { type: "string", describe: "Only values at or below this path, e.g. ollama or librechat.port" })
      .example("llm explain", "every value with its source")
      .example("llm explain ollama", "only Ollama's settings")
      .example("llm explain --set ollama.memory=24g", "what a change would resolve to")
      .example("llm config --json", "the same for machines (config is an alias)"),
  async run(args, { io }) {
    const prefix = args["path"] as string | undefined;
    const result = await explainConfig({
      cwd: args.cwd,
      ...(args.config ? { configPath: args.config } : {}),
      options: args.resolveOptions,
      ...(prefix ? { under: prefix } : {}),
    });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { configFile: file, presets, layers, values } = result.value;
    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: true, config: file, presets, layers, values }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (args.quiet) return EXIT.OK;
    const s = styleOf(io);
    // The variable a value becomes in its container, where there is one.
    const inContainer = values.some((v) => v.container !== undefined);
    const rows = [
      [s.bold("PATH"), s.bold("SOURCE"), s.bold("VALUE"), ...(inContainer ? [s.bold("IN THE CONTAINER")] : [])],
      ...values.map((v) => [v.path, colorSource(s, v.source), showValue(v.value), ...(inContainer ? [v.container ? s.dim(v.container) : ""] : [])]),
    ];
    const lines = [
      `${s.bold(file)} resolved; layers, later wins: ${layers.map((l) => colorSource(s, l)).join(" < ")}`,
      "",
      ...table(rows).map((line) => line.trimEnd()),
    ];
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.OK;
  },
};
