import { listPresets, presetNames, showPreset } from "../../app/presets.js";
import { LlmError } from "../../errors.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { unknownAction } from "../unknown-action.js";
import { styleOf } from "../style.js";
import { showValue, table } from "../table.js";

const ACTIONS = { command: "presets", list: "list", named: [{ action: "show", purpose: "to see one preset" }], placeholder: "NAME" };

export const presets: Command = {
  command: "presets [action] [name]",
  describe: "List the hardware presets, or show one preset's values",
  builder: (y) =>
    y
      .positional("action", { type: "string", default: "list", describe: "list (default) or show" })
      .positional("name", { type: "string", describe: 'The preset to show (or "defaults")' })
      .example("llm presets", "every preset with a one-line description")
      .example("llm presets show nvidia", "the values the nvidia preset sets")
      .example("llm presets show defaults --json", "the built-in defaults as JSON"),
  async run(args, { io }) {
    const s = styleOf(io);
    if (args["action"] === "show") {
      const name = args["name"] as string | undefined;
      if (!name) return reportError(io, new LlmError("USAGE", "name the preset to show", { hint: `llm presets show ${presetNames()[0]}` }), args.json);
      const shown = showPreset(name);
      if (!shown.ok) return reportError(io, shown.error, args.json);
      const preset = shown.value;
      if (args.json) {
        io.stdout(
          `${JSON.stringify({ ok: true, name: preset.name, file: preset.file, description: preset.description, reasons: preset.reasons, values: preset.values }, null, 2)}\n`,
        );
        return EXIT.OK;
      }
      if (args.quiet) return EXIT.OK;
      const rows = preset.leaves.map((v) => [
        v.path,
        v.value === null ? `${showValue(v.value)} ${s.dim("(removes the value an earlier layer set)")}` : showValue(v.value),
        preset.reasons[v.path] ? s.dim(`the point: ${preset.reasons[v.path]}`) : "",
      ]);
      const points =
        Object.keys(preset.reasons).length > 0 ? ["", 'A preset listed after this one that changes a value marked "the point" is warned about.'] : [];
      io.stdout(
        `${[`${s.bold(preset.name)} (${preset.file}): ${preset.description}`, "", ...table(rows, "  ").map((line) => line.trimEnd()), ...points].join("\n")}\n`,
      );
      return EXIT.OK;
    }
    if (args["action"] !== "list") return reportError(io, unknownAction(String(args["action"]), args["name"], ACTIONS), args.json);
    if (args["name"] !== undefined) {
      return reportError(
        io,
        new LlmError("USAGE", `unexpected argument ${JSON.stringify(args["name"])}`, { hint: `to see one preset: llm presets show ${String(args["name"])}` }),
        args.json,
      );
    }
    const all = listPresets();
    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: true, presets: all.map((p) => ({ name: p.name, description: p.description, file: p.file })) }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (args.quiet) return EXIT.OK;
    const lines = [
      "Presets (list them in `presets: [...]`; cpu, nvidia and amd exclude each other, low-ram combines with any):",
      ...table(
        all.map((p) => [s.cyan(p.name), p.description]),
        "  ",
      ),
      "",
      "Merge order, later wins: the built-in defaults < each preset in the order listed < your config file < --set.",
      "A later preset that changes a value an earlier one exists to set is warned about: list low-ram last to keep its limits.",
      "",
      "One preset's values: llm presets show NAME",
    ];
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.OK;
  },
};
