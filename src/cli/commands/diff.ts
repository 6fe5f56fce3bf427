import { runDiff } from "../../app/diff.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { colorizePatch } from "../patch-colors.js";
import { reportError } from "../report-error.js";
import { styleOf } from "../style.js";

/** `--preset nvidia --preset low-ram` or `--preset nvidia,low-ram`; undefined when not given. */
function presetList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(","));
  return items.map((item) => item.trim()).filter((item) => item !== "");
}

const CONFLICT_NOTE = {
  "hand-edit": "was edited by hand since `llm generate` wrote it",
  unknown: "was not written by `llm generate` (it is not in .llm/manifest.json)",
} as const;

export const diff: Command = {
  command: "diff",
  describe: "Show what `llm generate` would change, as a unified diff (secrets redacted); exit 1 when something would change",
  options: {
    preset: { type: "string", multiple: true, describe: "Use these presets instead of the config's (repeat, or separate with commas)" },
    "show-secrets": { type: "boolean", describe: "Print secret values instead of <redacted>" },
  },
  fast: true,
  builder: (y) =>
    y
      .example("llm diff", "what generate would change now")
      .example("llm diff --preset nvidia --preset low-ram", "what would change with these presets instead")
      .example("llm diff --config llm.config.next.ts", "what another config would write into its folder"),
  async run(args, { io }) {
    const presets = presetList(args["preset"]);
    const result = await runDiff({
      cwd: args.cwd,
      ...(args.config ? { configPath: args.config } : {}),
      options: { ...args.resolveOptions, ...(presets ? { presets } : {}) },
      showSecrets: args["show-secrets"] === true,
      env: io.env,
    });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { files, recovered } = result.value;
    const code = files.length === 0 ? EXIT.OK : EXIT.DIFFERENT;
    if (args.json) {
      const report = {
        ok: true,
        identical: files.length === 0,
        config: result.value.configFile,
        presets: result.value.generated.resolved.presets,
        recovered,
        files: files.map((f) => ({ path: f.path, change: f.kind, conflict: f.conflict, patch: f.patch })),
      };
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return code;
    }
    if (args.quiet) return code;
    if (recovered !== "none")
      io.stderr(
        `note: finished a \`llm generate\` that was interrupted (${recovered === "rolled-forward" ? "its changes were completed" : "its changes were undone"})\n`,
      );
    const style = styleOf(io);
    for (const file of files) io.stdout(colorizePatch(file.patch, style));
    for (const file of files) {
      if (file.conflict)
        io.stderr(
          `note: ${file.path} ${CONFLICT_NOTE[file.conflict]}; \`llm generate\` refuses to ${file.kind === "delete" ? "remove" : "overwrite"} it without --force\n`,
        );
    }
    return code;
  },
};
