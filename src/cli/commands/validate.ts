import { loadConfig } from "../../config/load.js";
import { resolveConfig } from "../../config/resolve.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";

export const validate: Command = {
  command: "validate",
  describe: "Check the config (and its presets) without writing anything",
  builder: (y) => y.example("llm validate", "check ./llm.config.ts").example("llm validate --json", "diagnostics as JSON"),
  async run(args, { io }) {
    const loaded = await loadConfig(args.cwd, args.config);
    if (!loaded.ok) return reportError(io, loaded.error, args.json);
    const resolved = resolveConfig(loaded.value);
    if (!resolved.ok) return reportError(io, resolved.error, args.json);
    if (args.json) io.stdout(`${JSON.stringify({ ok: true, config: loaded.value.file, presets: resolved.value.presets }, null, 2)}\n`);
    else if (!args.quiet) io.stdout(`${loaded.value.file} is valid (presets: ${resolved.value.presets.join(", ") || "none"})\n`);
    return EXIT.OK;
  },
};
