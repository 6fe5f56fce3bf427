import type { CheckStatus } from "../../doctor/check-result.js";
import type { Command } from "../command.js";
import { TARGET_OPTION } from "../options.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { styleOf, type Style } from "../style.js";

const LABEL_WIDTH = 5;

function label(s: Style, status: CheckStatus): string {
  const text = status.padEnd(LABEL_WIDTH);
  return status === "ok" ? s.green(text) : status === "warn" ? s.yellow(text) : status === "fail" ? s.red(s.bold(text)) : s.dim(text);
}

export const doctor: Command = {
  command: "doctor",
  describe: "Check this host can run the stack: Docker, Compose v2, GPU toolkit, RAM, disk, ports, AVX; for Kubernetes, kubectl and the cluster",
  options: {
    target: {
      ...TARGET_OPTION["target"]!,
      describe: "What to check: compose (this host) or kubernetes (kubectl's current cluster); default: the config's first target",
    },
  },
  builder: (y) =>
    y
      .example("llm doctor", "check the host against ./llm.config.ts")
      .example("llm doctor --json", "one object per check, for scripts")
      .example("llm doctor --target kubernetes", "check the cluster of kubectl's current context (read-only)")
      .example("llm doctor --set 'presets=[\"nvidia\"]'", "would the nvidia preset work here?"),
  async run(args, { io }) {
    // Loaded on use: the checks are not needed by any other command.
    const { runDoctor } = await import("../../app/doctor.js");
    const result = await runDoctor({
      cwd: args.cwd,
      ...(args.config ? { configPath: args.config } : {}),
      options: args.resolveOptions,
      ...(io.host ? { host: io.host } : {}),
    });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { checks, configFile, presets } = result.value;
    const failed = checks.filter((c) => c.status === "fail").length;
    const code = failed > 0 ? EXIT.DIFFERENT : EXIT.OK;
    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: failed === 0, config: configFile, presets, checks }, null, 2)}\n`);
      return code;
    }
    const shown = args.quiet ? checks.filter((c) => c.status === "fail") : checks;
    if (shown.length === 0) return code;
    const s = styleOf(io);
    const lines = args.quiet ? [] : [`llm doctor: ${configFile ?? "no config"} (presets: ${presets.join(", ") || "none"})`];
    for (const c of shown) {
      lines.push(`  ${label(s, c.status)} ${c.message}`);
      if (c.fix) lines.push(`  ${" ".repeat(LABEL_WIDTH)} ${s.dim("fix:")} ${c.fix}`);
    }
    if (!args.quiet) {
      const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
      lines.push("", `${count("ok")} ok, ${count("warn")} warning${count("warn") === 1 ? "" : "s"}, ${failed} failed, ${count("skip")} not checked`);
    }
    io.stdout(`${lines.join("\n")}\n`);
    return code;
  },
};
