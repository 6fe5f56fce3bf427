import { runGenerate } from "../../app/generate.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";

export const generate: Command = {
  command: "generate",
  describe: "Write docker-compose.yml, .env, librechat.yaml and secrets.env from the config",
  builder: (y) =>
    y
      .example("llm generate", "generate from ./llm.config.ts")
      .example("llm generate --config examples/nvidia-workstation/llm.config.ts", "generate beside another config"),
  async run(args, { io, random }) {
    const result = await runGenerate({ cwd: args.cwd, ...(args.config ? { configPath: args.config } : {}), ...(random ? { random } : {}) });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { written, unchanged, secretsAdded, generated, configFile } = result.value;
    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: true, config: configFile, presets: generated.resolved.presets, written, unchanged, secretsAdded }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (args.quiet) return EXIT.OK;
    const lines = [`llm generate: ${configFile} (presets: ${generated.resolved.presets.join(", ") || "none"})`];
    for (const file of written) lines.push(`  wrote      ${file}`);
    for (const file of unchanged) lines.push(`  unchanged  ${file}`);
    if (secretsAdded.length > 0) lines.push(`  created secrets: ${secretsAdded.join(", ")} (in secrets.env, mode 0600, gitignored)`);
    const { stack } = generated;
    lines.push("", "Next steps:", "  docker compose up -d", `  open ${stack.librechat.url}`, `  models pulled on first start: ${stack.models.join(", ")}`);
    const { monitoring, security } = stack.modules;
    if (security?.acme) lines.push(`  DNS for ${security.routes.map((route) => route.host).join(", ")} must point at this machine, ports 80 and 443 open`);
    if (monitoring) lines.push(`  Grafana: ${monitoring.grafanaUrl} (user admin, password GRAFANA_ADMIN_PASSWORD in secrets.env)`);
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.OK;
  },
};
