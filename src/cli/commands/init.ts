import type { InitReport } from "../../app/init.js";
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
    from: {
      type: "string",
      describe:
        "Adopt a LibreChat folder (its docker-compose.yml, .env and librechat.yaml): its settings into the config, its secrets into secrets.env, values unchanged",
    },
  },
  builder: (y) =>
    y
      .example("llm init", "detect the hardware and write llm.config.ts")
      .example("llm init --preset nvidia --preset low-ram", "skip detection")
      .example("llm init --format yaml --model llama3.2:3b --model nomic-embed-text", "write llm.config.yaml with two models")
      .example("llm init --force", "replace an existing llm.config.ts")
      .example("llm init --from ~/LibreChat", "take over a LibreChat folder, keeping its secrets and data"),
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
      ...(typeof args["from"] === "string" ? { from: args["from"] } : {}),
    });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { file, format, suggestion, hardware, replaced, schemaFound, adopted } = result.value;
    if (args.json) {
      io.stdout(
        `${JSON.stringify({ ok: true, file, format, replaced, presets: suggestion.presets, models: suggestion.models, mongodbAvx: suggestion.mongodbAvx ?? null, reasons: suggestion.reasons, hardware, ...(adopted ? { adopted } : {}) }, null, 2)}\n`,
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
    if (adopted) lines.push(...adoptionLines(adopted, s));
    if (format !== "ts" && !schemaFound) lines.push(`  its $schema (${SCHEMA_PATH}) appears once the package is installed: npm i -D local-llm-stack`);
    lines.push(
      "",
      "Next:",
      `  llm explain     every value and where it comes from`,
      adopted ? `  llm diff        what generate would write` : `  llm generate    write docker-compose.yml, .env, librechat.yaml and secrets.env`,
      ...(adopted
        ? [
            `  llm generate    write docker-compose.yml, .env and librechat.yaml (secrets.env is kept as it is),`,
            `                  and the .gitignore that keeps secrets.env out of git: run it before \`git add\``,
          ]
        : []),
    );
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.OK;
  },
};

function adoptionLines(adopted: NonNullable<InitReport["adopted"]>, s: ReturnType<typeof styleOf>): string[] {
  const lines = [
    `${s.green("Kept")} ${adopted.secretNames.length} secret${adopted.secretNames.length === 1 ? "" : "s"} in ${s.bold(adopted.secretsFile)} (mode 0600), values unchanged: ${adopted.secretNames.join(", ")}`,
  ];
  if (adopted.notes.length > 0) lines.push("", "Noted in the config:", ...adopted.notes.map((note) => `  - ${note}`));
  if (adopted.unmapped.length > 0) {
    lines.push("", `${s.yellow("Not carried over")} (${adopted.unmapped.length}; listed in the config too):`);
    for (const u of adopted.unmapped) lines.push(`  - ${u.file}: ${u.path}: ${u.reason}`);
  }
  if (adopted.emptySkipped > 0) lines.push(`  (${adopted.emptySkipped} empty variables of .env left out: LibreChat reads an empty value as unset)`);
  if (adopted.moves.length > 0) {
    lines.push(
      "",
      "Your data, before the first start: stop the old stack (`docker compose down` in its folder), then here:",
      "  llm generate",
      "  docker compose up --no-start",
      ...adopted.moves.map((move) => `  ${move}`),
      "  docker compose up -d",
    );
  }
  return lines;
}
