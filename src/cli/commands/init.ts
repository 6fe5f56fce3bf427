import { LlmError } from "../../errors.js";
import { presetNames } from "../../app/presets.js";
import { FORMATS, SCHEMA_PATH, type InitFormat } from "../../layout.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { styleOf } from "../style.js";

const list = (value: unknown): string[] | undefined => (value === undefined ? undefined : ([] as unknown[]).concat(value).map(String));

export const init: Command = {
  command: "init",
  describe: "Write a commented llm.config.ts for this machine (detects GPU, RAM and AVX) or for --preset",
  options: {
    preset: { type: "string", multiple: true, choices: presetNames(), describe: "Presets to use instead of detecting the hardware (repeatable)" },
    model: { type: "string", multiple: true, describe: "Ollama models to pull (repeatable; default: chosen for the hardware)" },
    format: { type: "string", choices: [...FORMATS], describe: "ts (default), json or yaml; json and yaml reference the JSON Schema" },
    force: { type: "boolean", default: false, describe: "Replace an existing config file" },
  },
  builder: (y) =>
    y
      .example("llm init", "detect the hardware and write llm.config.ts")
      .example("llm init --preset nvidia --preset low-ram", "skip detection")
      .example("llm init --format yaml --model llama3.2:3b --model nomic-embed-text", "write llm.config.yaml with two models")
      .example("llm init --force", "replace an existing llm.config.ts"),
  async run(args, { io }) {
    if (Object.keys(args.resolveOptions).length > 0) {
      return reportError(io, new LlmError("USAGE", "init does not take --set", { hint: "use --preset and --model, then edit the file it writes" }), args.json);
    }
    const presets = list(args["preset"]);
    const models = list(args["model"]);
    // Loaded on use: detection and the writer are not needed by any other command.
    const { runInit } = await import("../../app/init.js");
    const result = await runInit({
      cwd: args.cwd,
      ...(args.config ? { target: args.config } : {}),
      ...(args["format"] ? { format: args["format"] as InitFormat } : {}),
      ...(presets ? { presets } : {}),
      ...(models ? { models } : {}),
      force: Boolean(args["force"]),
      ...(io.host ? { host: io.host } : {}),
    });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { file, format, suggestion, hardware, replaced, schemaFound } = result.value;
    if (args.json) {
      io.stdout(
        `${JSON.stringify({ ok: true, file, format, replaced, presets: suggestion.presets, models: suggestion.models, mongodbAvx: suggestion.mongodbAvx ?? null, reasons: suggestion.reasons, hardware }, null, 2)}\n`,
      );
      return EXIT.OK;
    }
    if (args.quiet) return EXIT.OK;
    const s = styleOf(io);
    const lines = [hardware ? "Found on this machine:" : "Chosen:"];
    for (const reason of suggestion.reasons) lines.push(`  - ${reason}`);
    lines.push(
      "",
      `${s.green(replaced ? "Replaced" : "Wrote")} ${s.bold(file)} (presets: ${suggestion.presets.join(", ")}; models: ${suggestion.models.join(", ")})`,
    );
    if (format !== "ts" && !schemaFound) lines.push(`  its $schema (${SCHEMA_PATH}) appears once the package is installed: npm i -D local-llm-stack`);
    lines.push(
      "",
      "Next:",
      `  llm explain     every value and where it comes from`,
      `  llm generate    write docker-compose.yml, .env, librechat.yaml and secrets.env`,
    );
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.OK;
  },
};
