import type { UpgradeReport } from "../../app/upgrade.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { changeSummary } from "../next-steps.js";
import { reportError } from "../report-error.js";
import { styleOf } from "../style.js";
import { printWarnings } from "../warnings.js";

function planLines(report: UpgradeReport, applied: boolean): string[] {
  const lines: string[] = [];
  for (const edit of report.edits) lines.push(`  ${applied ? "set" : "would set"} ${edit.path}: "${edit.image}" in ${report.configFile}`);
  for (const kept of report.kept) lines.push(`  kept ${kept.path}: "${kept.image}" (${kept.reason})`);
  if (!report.manifestImages)
    lines.push("  .llm/manifest.json does not record images (an earlier llm wrote it): the plan assumes the config's pins are what runs");
  const moved = report.moves.filter((move) => move.from !== move.to);
  if (moved.length === 0) {
    lines.push("  every image is already the one it would be: nothing to do");
    return lines;
  }
  for (const move of moved) lines.push(`  ${move.service}: ${move.from} -> ${move.to}`);
  lines.push("", "Steps, in order:");
  report.steps.forEach((step, i) => {
    const tag =
      step.kind === "data"
        ? step.oneWay
          ? " [one-way data step]"
          : " [data]"
        : step.kind === "host"
          ? " [host]"
          : step.kind === "behaviour"
            ? " [behaviour change]"
            : step.kind === "generator"
              ? " [done by llm]"
              : "";
    lines.push(`${i + 1}. ${step.service && step.kind !== "backup" ? `${step.service}: ` : ""}${step.title}${tag}`);
    if (step.why) lines.push(`   ${step.why}`);
    for (const command of step.commands) lines.push(`   $ ${command}`);
  });
  for (const note of report.notes) lines.push(`note: ${note}`);
  lines.push("", "Nothing above was run: each command is yours to run, in this order.");
  return lines;
}

export const upgrade: Command = {
  command: "upgrade",
  describe: "Move the config's image pins to this llm's catalog (or --to service=tag), write the files again and print the steps the move needs",
  options: {
    plan: { type: "boolean", describe: "Only print the steps (backup, data migrations, host requirements); change nothing" },
    to: { type: "string", multiple: true, describe: "Pin one service to this tag or image: --to meilisearch=v1.35.1 (repeatable)" },
  },
  fast: true,
  builder: (y) =>
    y
      .example("llm upgrade --plan", "what moving to the catalog's images asks for, in order, with the commands")
      .example("llm upgrade", "move the pins in llm.config.ts, regenerate, print the same steps")
      .example("llm upgrade --to meilisearch=v1.35.1", "move one service to a tag of your choosing"),
  async run(args, { io, random }) {
    const to = [args["to"] ?? []].flat().map(String);
    const apply = args["plan"] !== true;
    const { runUpgrade } = await import("../../app/upgrade.js");
    const result = await runUpgrade({
      cwd: args.cwd,
      ...(args.config ? { configPath: args.config } : {}),
      options: args.resolveOptions,
      to,
      apply,
      llm: "npx llm",
      ...(random ? { random } : {}),
      env: io.env,
    });
    if (!result.ok) return reportError(io, result.error, args.json);
    const report = result.value;
    if (report.generated && report.generated.refused.length > 0) {
      io.stderr(
        `llm upgrade: ${report.configFile} was put back as it was: generate refused to overwrite hand-edited files (${report.generated.refused.map((c) => c.path).join(", ")}); \`llm diff\` shows them\n`,
      );
      return EXIT.REFUSED;
    }
    if (args.json) {
      const { generated, ...rest } = report;
      io.stdout(
        `${JSON.stringify({ ok: true, applied: apply, ...rest, ...(generated ? { written: generated.written, warnings: generated.warnings } : {}) }, null, 2)}\n`,
      );
      return EXIT.OK;
    }
    if (report.generated) printWarnings(io, report.generated.warnings, report.configFile);
    if (args.quiet) return EXIT.OK;
    const lines = [`llm upgrade${apply ? "" : " --plan"}: ${report.configFile}`, ...planLines(report, apply)];
    // Generate's own next steps ("docker compose up -d") would skip the plan's data steps: the
    // next thing to do is the plan's first step with a command (the files are written already).
    if (report.generated) lines.push("", ...changeSummary(report.generated, styleOf(io)));
    const next = report.steps.findIndex((step) => step.commands.length > 0);
    if (report.generated && next !== -1) lines.push("", `Next: step ${next + 1} above (${report.steps[next]!.title}).`);
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.OK;
  },
};
