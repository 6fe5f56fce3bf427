import { loadConfig } from "../../config/load.js";
import { showValue } from "../../config/leaves.js";
import { resolveConfig } from "../../config/resolve.js";
import { LlmError } from "../../errors.js";
import { explain as explainValues, layerNames, underPath } from "../../explain/explain.js";
import { didYouMean } from "../../util/did-you-mean.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { styleOf, type Style } from "../style.js";
import { table } from "../table.js";

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
  builder: (y) =>
    y
      .positional("path", { type: "string", describe: "Only values at or below this path, e.g. ollama or librechat.port" })
      .example("llm explain", "every value with its source")
      .example("llm explain ollama", "only Ollama's settings")
      .example("llm explain --set ollama.memory=24g", "what a change would resolve to")
      .example("llm config --json", "the same for machines (config is an alias)"),
  async run(args, { io }) {
    const loaded = await loadConfig(args.cwd, args.config);
    if (!loaded.ok) return reportError(io, loaded.error, args.json);
    const resolved = resolveConfig(loaded.value, args.resolveOptions);
    if (!resolved.ok) return reportError(io, resolved.error, args.json);
    const file = loaded.value.file;
    const overridden = args.resolveOptions.overrides !== undefined;
    const all = explainValues(resolved.value, file, args.resolveOptions.presets ? "--set" : file);
    const prefix = args["path"] as string | undefined;
    const values = prefix ? underPath(all, prefix) : all;
    if (prefix && values.length === 0) {
      const candidates = [...new Set(all.flatMap((v) => v.path.split(".").map((_, i, parts) => parts.slice(0, i + 1).join("."))))];
      const suggestion = didYouMean(prefix, candidates);
      return reportError(
        io,
        new LlmError("USAGE", `no value at ${JSON.stringify(prefix)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`, {
          hint: "run `llm explain` to see every path",
        }),
        args.json,
      );
    }
    const layers = layerNames(resolved.value, file, overridden);
    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: true, config: file, presets: resolved.value.presets, layers, values }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (args.quiet) return EXIT.OK;
    const s = styleOf(io);
    const rows = [[s.bold("PATH"), s.bold("SOURCE"), s.bold("VALUE")], ...values.map((v) => [v.path, colorSource(s, v.source), showValue(v.value)])];
    const lines = [`${s.bold(file)} resolved; layers, later wins: ${layers.map((l) => colorSource(s, l)).join(" < ")}`, "", ...table(rows)];
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.OK;
  },
};
