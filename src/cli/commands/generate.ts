import { runCheck } from "../../app/check.js";
import { octal } from "../../app/folder-modes.js";
import { editedError, runGenerate } from "../../app/generate.js";
import { LlmError } from "../../errors.js";
import { TARGET_OPTION } from "../options.js";
import type { Command, CommandContext, GlobalArgs } from "../command.js";
import { EXIT } from "../io.js";
import { generateSummary } from "../next-steps.js";
import { colorizePatch } from "../patch-colors.js";
import { reportError } from "../report-error.js";
import { styleOf } from "../style.js";
import { printWarnings } from "../warnings.js";

type Args = GlobalArgs & Record<string, unknown>;

async function check(args: Args, { io }: CommandContext): Promise<number> {
  const result = await runCheck({ cwd: args.cwd, ...(args.config ? { configPath: args.config } : {}), options: args.resolveOptions, env: io.env });
  if (!result.ok) return reportError(io, result.error, args.json);
  const { drift, configFile, ignored } = result.value;
  const code = drift.length === 0 ? EXIT.OK : EXIT.DIFFERENT;
  if (args.json) {
    io.stdout(`${JSON.stringify({ ok: true, upToDate: drift.length === 0, config: configFile, drift, ignoredByGit: ignored }, null, 2)}\n`);
    return code;
  }
  if (args.quiet && code === EXIT.OK) return code;
  if (drift.length === 0) {
    io.stdout(`llm generate --check: the generated files are up to date with ${configFile}\n`);
    return code;
  }
  const lines = [`llm generate --check: ${drift.length} file${drift.length === 1 ? " differs" : "s differ"} from what ${configFile} generates`];
  for (const file of drift) lines.push(`  ${file.status.padEnd(8)} ${file.path}`);
  for (const file of ignored) {
    lines.push(
      `  ${file.path} is ignored by git (${file.source}:${file.line}: ${file.pattern}), so it was never committed: it holds no secret and must be; remove or narrow that rule (a folder's rule hides every file in it), or git add -f ${file.path}`,
    );
  }
  lines.push("run `llm generate` and commit the result; `llm diff` shows the changes");
  io.stdout(`${lines.join("\n")}\n`);
  return code;
}

export const generate: Command = {
  command: "generate",
  describe: "Write docker-compose.yml, .env, librechat.yaml and secrets.env from the config",
  options: {
    ...TARGET_OPTION,
    check: { type: "boolean", describe: "Write nothing; exit 1 listing every stale, missing or extra generated file (for CI)" },
    force: { type: "boolean", describe: "Overwrite generated files that were edited by hand" },
    "new-secret": {
      type: "string",
      multiple: true,
      describe:
        "Accept a new value for a lost secret that guards stored data (CREDS_KEY, CREDS_IV: the credentials stored in MongoDB become unreadable); repeatable",
    },
  },
  fast: true,
  builder: (y) =>
    y
      .example("llm generate", "generate from ./llm.config.ts")
      .example("llm generate --check", "in CI: fail when the committed files are stale")
      .example("llm generate --config examples/nvidia-workstation/llm.config.ts", "generate beside another config")
      .example("llm generate --set librechat.port=8080", "override one value for this run")
      .example("llm generate --new-secret CREDS_KEY --new-secret CREDS_IV", "stored data is there but its keys are lost for good: accept new ones"),
  async run(args, context) {
    const { io, random } = context;
    if (args["check"] === true && args["force"] === true)
      return reportError(io, usage("--check writes nothing, --force overwrites hand edits: use one of them"), args.json);
    if (args["check"] === true && newSecretNames(args["new-secret"] ?? args["newSecret"]).length > 0)
      return reportError(io, usage("--check writes nothing, so it creates no secret: drop --new-secret"), args.json);
    if (args["check"] === true) return check(args, context);
    const result = await runGenerate({
      cwd: args.cwd,
      ...(args.config ? { configPath: args.config } : {}),
      options: args.resolveOptions,
      ...(random ? { random } : {}),
      force: args["force"] === true,
      newSecrets: newSecretNames(args["new-secret"] ?? args["newSecret"]),
      env: io.env,
    });
    if (!result.ok) return reportError(io, result.error, args.json);
    const { written, created, unchanged, removed, released, secretsAdded, folderModes, refused, recovered, generated, configFile, warnings } = result.value;
    if (refused.length > 0) {
      const code = reportError(io, editedError(refused), args.json);
      if (!args.json) {
        io.stderr(`\nWhat \`llm generate --force\` would do to ${refused.length === 1 ? "it" : "them"} (- your version, + the generated one):\n`);
        for (const patch of result.value.refusedPatches) io.stderr(colorizePatch(patch, styleOf(io)));
      }
      return code;
    }
    if (args.json) {
      const { stack } = generated;
      io.stdout(
        `${JSON.stringify({ ok: true, config: configFile, presets: generated.resolved.presets, written, created, unchanged, removed, released, secretsAdded, secretsMoved: result.value.secretsMoved, secretsRenewed: result.value.secretsRenewed, secretsKept: result.value.secretsKept, folderModes: folderModes.map((m) => ({ folder: m.folder, from: octal(m.from), to: octal(m.to), ...(m.failed ? { failed: m.failed } : {}) })), recovered, url: stack.librechat.url, models: stack.models, warnings }, null, 2)}\n`,
      );
      return EXIT.OK;
    }
    printWarnings(io, warnings, configFile);
    if (args.quiet) return EXIT.OK;
    io.stdout(`${generateSummary(result.value, styleOf(io)).join("\n")}\n`);
    return EXIT.OK;
  },
};

/** `--new-secret A --new-secret B` or `--new-secret A,B`. */
function newSecretNames(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

function usage(message: string): LlmError {
  return new LlmError("USAGE", message, { hint: "run `llm generate --check` in CI, `llm generate --force` to overwrite" });
}
