import { runValidate } from "../../app/validate.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { styleOf } from "../style.js";
import { printWarnings } from "../warnings.js";

export const validate: Command = {
  command: "validate",
  describe: "Check the config, its presets and secrets.env with the same diagnostics as generate, writing nothing",
  fast: true,
  builder: (y) =>
    y
      .example("llm validate", "check ./llm.config.ts")
      .example("llm validate --config examples/nvidia-workstation/llm.config.ts", "check another config")
      .example("llm validate --json", "diagnostics as JSON"),
  async run(args, { io }) {
    const result = await runValidate({ cwd: args.cwd, ...(args.config ? { configPath: args.config } : {}), options: args.resolveOptions });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { configFile, generated, warnings } = result.value;
    const presets = generated.resolved.presets;
    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: true, config: configFile, presets, files: generated.files.map((f) => f.path), warnings }, null, 2)}\n`);
      return EXIT.OK;
    }
    printWarnings(io, warnings, configFile);
    if (!args.quiet)
      io.stdout(
        `${configFile} is ${styleOf(io).green("valid")}${warnings.length > 0 ? ` with ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` : ""} (presets: ${presets.join(", ") || "none"})\n`,
      );
    return EXIT.OK;
  },
};
