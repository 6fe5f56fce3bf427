import { nanoidRandom } from "../../app/generate.js";
import { listSecrets, planRotation, secretNameProblem, setSecret } from "../../app/secrets.js";
import { LlmError } from "../../errors.js";
import { SECRETS_FILE } from "../../layout.js";
import type { SecretStatus } from "../../secrets/status.js";
import type { Command, CommandContext, GlobalArgs } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { styleOf, type Style } from "../style.js";
import { table } from "../table.js";
import { shownArgument, unknownAction } from "../unknown-action.js";

const ACTIONS = {
  command: "secrets",
  list: "list",
  named: [
    { action: "rotate", purpose: "to rotate a secret" },
    { action: "set", purpose: "to store a secret of yours" },
  ],
  placeholder: "NAME",
};

function state(s: Style, secret: SecretStatus): string {
  return secret.status === "set" ? s.green("set") : secret.status === "missing" ? s.yellow("missing") : s.red("invalid");
}

async function list(args: GlobalArgs, { io }: CommandContext): Promise<number> {
  const result = await listSecrets({ cwd: args.cwd, ...(args.config ? { configPath: args.config } : {}), options: args.resolveOptions });
  if (!result.ok) return reportError(io, result.error, args.json);
  const { file, exists, mode, secrets } = result.value;
  if (args.json) {
    io.stdout(`${JSON.stringify({ ok: true, file, exists, mode: mode === null ? null : `0${mode.toString(8)}`, secrets }, null, 2)}\n`);
    return EXIT.OK;
  }
  if (args.quiet) return EXIT.OK;
  const s = styleOf(io);
  const lines = [`${s.bold(file)}${exists ? "" : " (not created yet: llm generate creates it)"}: values are never shown`];
  if (mode !== null && mode !== 0o600)
    lines.push(`${s.yellow("warning")}: ${file} has mode 0${mode.toString(8)}, readable by others: chmod 600 ${file} (llm generate also fixes it)`);
  const rows = [
    [s.bold("NAME"), s.bold("STATE"), s.bold("USED BY")],
    ...secrets.map((x) => [x.name, state(s, x), `${x.usedBy.join(", ")}${x.own ? s.dim(" (yours)") : ""}`]),
  ];
  lines.push(...table(rows, "  "), "", "Rotate one: llm secrets rotate NAME");
  const unset = secrets.filter((x) => x.own && x.status === "missing").map((x) => x.name);
  if (unset.length > 0) lines.push(`Set yours (an endpoint names it as \${NAME}): ${unset.map((name) => `llm secrets set ${name}`).join(", ")}`);
  const warnings = new Map<string, string[]>();
  for (const x of secrets) if (x.rotationWarning) warnings.set(x.rotationWarning, [...(warnings.get(x.rotationWarning) ?? []), x.name]);
  for (const [warning, names] of warnings) lines.push(`  ${names.join(", ")}: ${warning}`);
  io.stdout(`${lines.join("\n")}\n`);
  return EXIT.OK;
}

async function rotate(args: GlobalArgs & Record<string, unknown>, { io, random }: CommandContext): Promise<number> {
  const name = args["name"] as string | undefined;
  if (!name)
    return reportError(io, new LlmError("USAGE", "name the secret to rotate", { hint: "llm secrets rotate JWT_SECRET (llm secrets lists them)" }), args.json);
  const plan = await planRotation({
    cwd: args.cwd,
    ...(args.config ? { configPath: args.config } : {}),
    options: args.resolveOptions,
    name,
    random: random ?? nanoidRandom,
    env: io.env,
  });
  if (!plan.ok) return reportError(io, plan.error, args.json);
  const { spec, restart } = plan.value;
  const s = styleOf(io);
  if (spec.rotationWarning && !args.json) {
    const loud = spec.guardsDataOf !== undefined ? s.bold(s.red("WARNING")) : s.yellow("warning");
    io.stderr(
      `${loud}: rotating ${spec.name}: ${spec.rotationWarning}${spec.guardsDataOf !== undefined ? ` Back up ${SECRETS_FILE} first; there is no undo.` : ""}\n`,
    );
  }
  if (spec.guardsDataOf !== undefined && !args["yes"]) {
    const confirmed = io.prompt && !args.json ? /^y(es)?$/i.test((await io.prompt(`Rotate ${spec.name}? [y/N] `)).trim()) : false;
    if (!confirmed) {
      return reportError(
        io,
        new LlmError("CONFIRMATION_REQUIRED", `${spec.name} was not rotated: it makes stored data unreadable`, {
          hint: `run \`llm secrets rotate ${spec.name} --yes\` to confirm`,
        }),
        args.json,
      );
    }
  }
  const applied = await plan.value.apply();
  if (!applied.ok) return reportError(io, applied.error, args.json);
  if (args.json) {
    io.stdout(
      `${JSON.stringify({ ok: true, rotated: spec.name, file: SECRETS_FILE, written: applied.value, restart, warning: spec.rotationWarning ?? null }, null, 2)}\n`,
    );
    return EXIT.OK;
  }
  if (!args.quiet) {
    const derived = applied.value.length > 0 ? ` (and ${applied.value.join(", ")})` : "";
    // An empty list would make `--force-recreate` recreate every service.
    const apply =
      restart.length > 0 ? `Apply it: docker compose up -d --force-recreate ${restart.join(" ")}` : "No service of this stack reads it; nothing to restart.";
    io.stdout(`Rotated ${s.bold(spec.name)} in ${SECRETS_FILE}${derived}.\n${apply}\n`);
  }
  return EXIT.OK;
}

/** The value of `llm secrets set`: typed at a prompt that does not echo, or piped in; never an
 * argument (shell history, `ps`). One trailing line break (echo's, a file's) is not part of it. */
async function secretValue(io: CommandContext["io"], name: string): Promise<string | null> {
  if (io.promptHidden) return io.promptHidden(`${name} (not shown as you type): `);
  if (io.readStdin) return (await io.readStdin()).replace(/\r?\n$/, "");
  return null;
}

async function set(args: GlobalArgs & Record<string, unknown>, { io, random }: CommandContext): Promise<number> {
  const name = args["name"] as string | undefined;
  if (!name)
    return reportError(io, new LlmError("USAGE", "name the secret to set", { hint: "llm secrets set GROQ_API_KEY (then type or pipe the value)" }), args.json);
  // Before the prompt: a value typed for a name that is refused would be asked for in vain.
  const refused = secretNameProblem(name);
  if (refused) return reportError(io, refused, args.json);
  const value = await secretValue(io, name);
  if (value === null)
    return reportError(
      io,
      new LlmError("USAGE", "no value: stdin is neither a terminal nor a pipe", { hint: `printf %s "$VALUE" | llm secrets set ${name}` }),
      args.json,
    );
  const result = await setSecret({
    cwd: args.cwd,
    ...(args.config ? { configPath: args.config } : {}),
    options: args.resolveOptions,
    name,
    value,
    random: random ?? nanoidRandom,
    env: io.env,
  });
  if (!result.ok) return reportError(io, result.error, args.json);
  const { restart, written } = result.value;
  if (args.json) {
    io.stdout(`${JSON.stringify({ ok: true, set: name, file: SECRETS_FILE, written, restart }, null, 2)}\n`);
    return EXIT.OK;
  }
  if (!args.quiet) {
    const derived = written.length > 0 ? ` (and ${written.join(", ")})` : "";
    const apply = restart.length > 0 ? `Apply it: docker compose up -d --force-recreate ${restart.join(" ")}` : "No service of this stack reads it yet.";
    io.stdout(`Set ${styleOf(io).bold(name)} in ${SECRETS_FILE}${derived}.\n${apply}\n`);
  }
  return EXIT.OK;
}

export const secrets: Command = {
  command: "secrets [action] [name]",
  completeWords: (words) => Promise.resolve(words.length === 0 ? [ACTIONS.list, ...ACTIONS.named.map((named) => named.action)] : []),
  describe: "List the secrets and the services that read them (never their values), rotate one, or set one of your own",
  options: {
    yes: { alias: "y", type: "boolean", default: false, describe: "Rotate CREDS_KEY/CREDS_IV without asking (stored credentials become unreadable)" },
  },
  builder: (y) =>
    y
      .positional("action", { type: "string", default: "list", describe: "list (default), rotate or set" })
      .positional("name", { type: "string", describe: "The secret to rotate (e.g. JWT_SECRET) or set (e.g. GROQ_API_KEY)" })
      .example("llm secrets", "names, state and readers of every secret")
      .example("llm secrets rotate JWT_SECRET", "new JWT secret: every user is signed out")
      .example("llm secrets rotate CREDS_KEY --yes", "new encryption key, without the prompt")
      .example("llm secrets set GROQ_API_KEY", "your key for an endpoint's ${GROQ_API_KEY}: typed without echo, or piped on stdin"),
  run: (args, context) => {
    if (args["action"] === "rotate") return rotate(args, context);
    if (args["action"] === "set") return set(args, context);
    if (args["action"] !== "list") return Promise.resolve(reportError(context.io, unknownAction(String(args["action"]), args["name"], ACTIONS), args.json));
    if (args["name"] !== undefined) {
      return Promise.resolve(
        reportError(
          context.io,
          new LlmError("USAGE", `unexpected argument ${shownArgument(String(args["name"]))}`, {
            hint: `to rotate it: llm secrets rotate ${shownArgument(String(args["name"]), "NAME")}`,
          }),
          args.json,
        ),
      );
    }
    return list(args, context);
  },
};
