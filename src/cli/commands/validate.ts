import { loadConfig } from "../../config/load.js";
import { resolveConfig } from "../../config/resolve.js";
import { EXIT, type CliIO } from "../io.js";
import { reportError } from "../report-error.js";

export async function validateCommand(io: CliIO, args: { cwd: string; config?: string; json: boolean; quiet: boolean }): Promise<number> {
  const loaded = await loadConfig(args.cwd, args.config);
  if (!loaded.ok) return reportError(io, loaded.error, args.json);
  const resolved = resolveConfig(loaded.value);
  if (!resolved.ok) return reportError(io, resolved.error, args.json);
  if (args.json) io.stdout(`${JSON.stringify({ ok: true, config: loaded.value.file, presets: resolved.value.presets }, null, 2)}\n`);
  else if (!args.quiet) io.stdout(`${loaded.value.file} is valid (presets: ${resolved.value.presets.join(", ") || "none"})\n`);
  return EXIT.OK;
}
