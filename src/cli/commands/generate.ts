import { runGenerate } from "../../app/generate.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { generateSummary } from "../next-steps.js";
import { reportError } from "../report-error.js";
import { styleOf } from "../style.js";

export const generate: Command = {
  command: "generate",
  describe: "Write docker-compose.yml, .env, librechat.yaml and secrets.env from the config",
  fastOptions: {},
  builder: (y) =>
    y
      .example("llm generate", "generate from ./llm.config.ts")
      .example("llm generate --config examples/nvidia-workstation/llm.config.ts", "generate beside another config")
      .example("llm generate --set librechat.port=8080", "override one value for this run"),
  async run(args, { io, random }) {
    const result = await runGenerate({ cwd: args.cwd, ...(args.config ? { configPath: args.config } : {}), options: args.resolveOptions, ...(random ? { random } : {}) });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { written, created, unchanged, secretsAdded, generated, configFile } = result.value;
    if (args.json) {
      const { stack } = generated;
      io.stdout(`${JSON.stringify({ ok: true, config: configFile, presets: generated.resolved.presets, written, created, unchanged, secretsAdded, url: stack.librechat.url, models: stack.models }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (args.quiet) return EXIT.OK;
    io.stdout(`${generateSummary(result.value, styleOf(io)).join("\n")}\n`);
    return EXIT.OK;
  },
};
