import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { styleOf } from "../style.js";
import { table } from "../table.js";

export const outdated: Command = {
  command: "outdated",
  describe: "Compare the images the folder was generated with, and the config's pins, with this llm's image catalog (offline)",
  fast: true,
  builder: (y) =>
    y
      .example("llm outdated", "one row per image: deployed, pinned, current, advisories fixed in between")
      .example("llm outdated --json", "the same for CI: exit 1 when something is behind, 10 when an advisory applies"),
  async run(args, { io }) {
    // Loaded on demand, like doctor: the everyday commands do not initialize the upgrade code.
    const { runOutdated } = await import("../../app/outdated.js");
    const result = await runOutdated({ cwd: args.cwd, ...(args.config ? { configPath: args.config } : {}), options: args.resolveOptions });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { rows, configFile, catalogVerified, manifestImages } = result.value;
    const behind = rows.filter((row) => row.status === "behind");
    const advised = behind.filter((row) => row.advisories.length > 0);
    const code = advised.length > 0 ? EXIT.ADVISORY : behind.length > 0 ? EXIT.DIFFERENT : EXIT.OK;
    if (args.json) {
      io.stdout(
        `${JSON.stringify({ ok: true, config: configFile, catalogVerified, manifestImages, behind: behind.length, advisories: advised.length, images: rows }, null, 2)}\n`,
      );
      return code;
    }
    if (args.quiet && code === EXIT.OK) return code;
    const s = styleOf(io);
    const lines = [`llm outdated: ${configFile} against the image catalog of ${catalogVerified} (offline)`];
    if (!manifestImages)
      lines.push("  .llm/manifest.json does not record images (an earlier llm wrote it): the config's pins stand in; `llm generate` records them");
    const cells = rows.map((row) => [
      row.services.join(", "),
      row.deployed ?? "-",
      row.configured === row.deployed ? "same" : row.configured,
      row.current ?? "(not in the catalog)",
      row.status === "behind" ? s.yellow("behind") : row.status,
      row.advisories.map((a) => `${a.id} (${a.severity}, fixed in ${a.fixedIn})`).join(", ") || "-",
    ]);
    lines.push(...table([["service", "deployed", "pinned", "current", "status", "advisories fixed in between"], ...cells], "  "));
    for (const row of rows) {
      for (const advisory of row.advisories) lines.push(`  ${row.image} ${advisory.id}: ${advisory.summary}`);
      if (row.openAtCurrent.length > 0)
        lines.push(
          `  note: ${row.current} still has ${row.openAtCurrent.map((a) => `${a.id} (fixed in ${a.fixedIn})`).join(", ")}: ${row.openAtCurrent.map((a) => a.summary).join("; ")}`,
        );
    }
    if (behind.length > 0)
      lines.push(
        `${behind.length} image${behind.length === 1 ? " is" : "s are"} behind${advised.length > 0 ? `, ${advised.length} with advisories` : ""}: \`llm upgrade --plan\` lists the steps`,
      );
    else lines.push("every image is the catalog's");
    io.stdout(`${lines.join("\n")}\n`);
    return code;
  },
};
