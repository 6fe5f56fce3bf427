import { LlmError, type Result, fail, ok } from "../../errors.js";
import { modelsState, openModels, planModelRemoval, pullNamed, removeModels, type ModelSession, type PullReport } from "../../app/models.js";
import type { InstalledModel } from "../../models/types.js";
import type { Command, GlobalArgs } from "../command.js";
import { EXIT, type CliIO } from "../io.js";
import { formatBytes } from "../models/format.js";
import { PullProgress } from "../models/progress.js";
import { declaredNotes, listText, withSizes } from "../models/report.js";
import { errorJson, exitCodeFor, reportError } from "../report-error.js";

const ACTIONS = ["list", "pull", "rm", "sync"] as const;
type Action = (typeof ACTIONS)[number];

interface ModelsArgs extends GlobalArgs {
  action: Action;
  names: string[];
  url?: string;
  yes: boolean;
  force: boolean;
  prune: boolean;
  dryRun: boolean;
}

/** What every action works with: the Ollama client and, when the config was read (always, except
 * for `pull` with --url or OLLAMA_HOST), the declared models. */
interface Session extends ModelSession {
  args: ModelsArgs;
  io: CliIO;
  now: () => number;
}

export const models: Command = {
  command: "models <action> [names..]",
  describe: "List, pull, remove or sync the models in the running Ollama",
  options: {
    url: { type: "string", describe: "Ollama's URL (default: OLLAMA_HOST, else the port the generated stack publishes)" },
    yes: { alias: "y", type: "boolean", default: false, describe: "rm, sync --prune: remove without asking" },
    force: { type: "boolean", default: false, describe: "rm: also remove models the config declares" },
    prune: { type: "boolean", default: false, describe: "sync: remove installed models the config does not declare" },
    "dry-run": { type: "boolean", default: false, describe: "sync: show what would be pulled and removed, change nothing" },
  },
  builder: (y) =>
    y
      .positional("action", { choices: ACTIONS, describe: "list | pull NAME.. | rm NAME.. | sync" })
      .positional("names", { type: "string", array: true, describe: "model names, e.g. llama3.2:3b" })
      .example("llm models list", "installed models, marked declared or not")
      .example("llm models pull qwen2.5:7b", "pull with a progress bar per layer")
      .example("llm models rm mistral:7b", "remove after confirmation")
      .example("llm models sync --prune", "pull what the config declares, remove the rest"),
  async run(rawArgs, { io }) {
    const args = { ...rawArgs, names: ((rawArgs["names"] as string[] | undefined) ?? []).map(String), dryRun: Boolean(rawArgs["dryRun"]) } as ModelsArgs;
    const usage = checkUsage(args);
    if (usage) return reportError(io, usage, args.json);
    const session = await openSession(args, io);
    if (!session.ok) return reportError(io, session.error, args.json);
    switch (args.action) {
      case "list":
        return list(session.value);
      case "pull":
        return pull(session.value);
      case "rm":
        return remove(session.value);
      case "sync":
        return sync(session.value);
    }
  },
};

function checkUsage(args: ModelsArgs): LlmError | undefined {
  const takesNames = args.action === "pull" || args.action === "rm";
  if (takesNames && args.names.length === 0)
    return new LlmError("USAGE", `llm models ${args.action} needs at least one model name`, { hint: `e.g. llm models ${args.action} llama3.2:3b` });
  if (!takesNames && args.names.length > 0)
    return new LlmError("USAGE", `llm models ${args.action} takes no model names (got ${args.names.join(" ")})`, {
      hint:
        args.action === "sync" ? "sync works from models in the config; to fetch one model use `llm models pull NAME`" : "`llm models list` lists every model",
    });
  return undefined;
}

async function openSession(args: ModelsArgs, io: CliIO): Promise<Result<Session>> {
  const opened = await openModels({
    cwd: args.cwd,
    ...(args.config ? { configPath: args.config } : {}),
    ...(args.url !== undefined ? { url: args.url } : {}),
    env: io.env,
    ...(io.signal ? { signal: io.signal } : {}),
    needsDeclared: args.action !== "pull",
  });
  if (!opened.ok) return opened;
  return ok({ ...opened.value, args, io, now: io.now ?? Date.now });
}

function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

async function list(session: Session): Promise<number> {
  const { args, io, client, declared, now } = session;
  const listed = await modelsState(session);
  if (!listed.ok) return reportError(io, listed.error, args.json);
  const state = listed.value;
  if (args.json) {
    printJson(io, { ok: true, url: client.url, config: declared!.file, models: state.installed, missing: state.missing });
  } else {
    io.stdout(listText(state, { url: client.url, configFile: declared!.file, now: now() }));
  }
  return EXIT.OK;
}

/** Pulls with progress on stdout (live on a terminal) and each failure on stderr as it happens. */
function pullWithProgress(session: Session, names: readonly string[]): Promise<PullReport> {
  const { args, io, now } = session;
  const live = io.isTTY && io.env["TERM"] !== "dumb";
  const quiet = args.json || args.quiet;
  return pullNamed(session, names, {
    progress: (model) => (quiet ? undefined : new PullProgress(model, { write: io.stdout, live, now, ...(io.columns ? { columns: io.columns } : {}) })),
    onFailure: (_model, error) => {
      if (!args.json) reportError(io, error, false);
    },
  });
}

/** The exit code of a run that may have failed for some models: the first failure decides. */
function outcomeCode(outcome: PullReport): number {
  const first = outcome.failed[0];
  return first ? exitCodeFor(first.error) : EXIT.OK;
}

const failuresJson = (outcome: PullReport) => outcome.failed.map(({ model, error }) => ({ model, error: errorJson(error) }));

async function pull(session: Session): Promise<number> {
  const { args, io, client, declared } = session;
  const outcome = await pullWithProgress(session, args.names);
  if (args.json) {
    printJson(io, { ok: outcome.failed.length === 0, url: client.url, pulled: outcome.pulled, failed: failuresJson(outcome), skipped: outcome.skipped });
  } else if (declared && !args.quiet) {
    const { undeclared } = outcome;
    if (undeclared.length > 0)
      io.stdout(
        `note: ${undeclared.join(", ")} ${undeclared.length === 1 ? "is" : "are"} not declared in ${declared.file}; add ${undeclared.length === 1 ? "it" : "them"} to models so a fresh stack pulls ${undeclared.length === 1 ? "it" : "them"} too\n`,
      );
  }
  return outcomeCode(outcome);
}

/** Asks once for every model about to go; --yes skips the question, and without a terminal it is required. */
async function confirmRemoval(session: Session, targets: readonly InstalledModel[]): Promise<Result<boolean>> {
  const { args, io, client } = session;
  if (args.yes) return ok(true);
  if (!io.prompt) {
    return fail(
      new LlmError("CONFIRMATION_REQUIRED", `not removing ${targets.map((m) => m.name).join(", ")} without confirmation (no terminal to ask on)`, {
        hint: "pass --yes to remove without asking",
      }),
    );
  }
  try {
    const answer = await io.prompt(`Remove ${withSizes(targets)} from Ollama at ${client.url}? [y/N] `);
    return ok(/^\s*y(es)?\s*$/i.test(answer));
  } catch (error) {
    return fail(new LlmError("INTERRUPTED", "interrupted: nothing was removed", { cause: error }));
  }
}

function removeAll(session: Session, targets: readonly InstalledModel[]): Promise<{ removed: string[]; error?: LlmError }> {
  return removeModels(session, targets, (model) => {
    if (!session.args.json && !session.args.quiet) session.io.stdout(`removed ${model.name} (${formatBytes(model.size)})\n`);
  });
}

async function remove(session: Session): Promise<number> {
  const { args, io, client, declared } = session;
  const plan = await planModelRemoval(session, args.names, args.force);
  if (!plan.ok) return reportError(io, plan.error, args.json);
  const confirmed = await confirmRemoval(session, plan.value.targets);
  if (!confirmed.ok) return reportError(io, confirmed.error, args.json);
  if (!confirmed.value) {
    if (args.json) printJson(io, { ok: true, url: client.url, removed: [] });
    else io.stdout("nothing removed\n");
    return EXIT.OK;
  }
  const { removed, error } = await removeAll(session, plan.value.targets);
  const { stillDeclared } = plan.value;
  if (args.json) {
    printJson(io, { ok: !error, url: client.url, removed, stillDeclared, ...(error ? { error: errorJson(error) } : {}) });
    return error ? exitCodeFor(error) : EXIT.OK;
  }
  if (stillDeclared.length > 0) {
    io.stderr(
      `warning: ${stillDeclared.join(", ")} ${stillDeclared.length === 1 ? "is" : "are"} still declared in ${declared!.file}: remove ${stillDeclared.length === 1 ? "it" : "them"} from models there, or \`llm models sync\` and the stack's ollama-pull service pull ${stillDeclared.length === 1 ? "it" : "them"} again\n`,
    );
  }
  return error ? reportError(io, error, false) : EXIT.OK;
}

async function sync(session: Session): Promise<number> {
  const { args, io, client } = session;
  const declared = session.declared!;
  const listed = await modelsState(session);
  if (!listed.ok) return reportError(io, listed.error, args.json);
  const state = listed.value;
  const say = (text: string) => {
    if (!args.json && !args.quiet) io.stdout(`${text}\n`);
  };
  say(
    `Ollama at ${client.url}: ${declared.file} declares ${declared.models.length}, ${state.present.length} present, ${state.missing.length} missing, ${state.undeclared.length} undeclared`,
  );

  if (args.dryRun) {
    if (args.json)
      printJson(io, {
        ok: true,
        url: client.url,
        config: declared.file,
        dryRun: true,
        present: state.present,
        wouldPull: state.missing,
        undeclared: state.undeclared.map((m) => m.name),
        wouldRemove: args.prune ? state.undeclared.map((m) => m.name) : [],
      });
    for (const name of state.missing) say(`would pull    ${name}`);
    for (const model of state.undeclared) say(`${args.prune ? "would remove" : "would keep  "}  ${model.name} (${formatBytes(model.size)}, undeclared)`);
    return EXIT.OK;
  }

  const outcome = await pullWithProgress(session, state.missing);
  const interrupted = outcome.failed.some((f) => f.error.code === "INTERRUPTED" || f.error.code === "OLLAMA_UNREACHABLE");
  let removed: string[] = [];
  let pruneError: LlmError | undefined;
  if (args.prune && state.undeclared.length > 0 && !interrupted) {
    const confirmed = await confirmRemoval(session, state.undeclared);
    if (!confirmed.ok) pruneError = confirmed.error;
    else if (confirmed.value) ({ removed, error: pruneError } = await removeAll(session, state.undeclared));
    else say("kept the undeclared models");
  } else if (!args.prune) {
    for (const note of declaredNotes({ missing: [], undeclared: state.undeclared }, declared.file)) say(note);
  }
  if (pruneError && !args.json) reportError(io, pruneError, false);

  if (args.json) {
    printJson(io, {
      ok: outcome.failed.length === 0 && !pruneError,
      url: client.url,
      config: declared.file,
      present: state.present,
      pulled: outcome.pulled,
      failed: failuresJson(outcome),
      skipped: outcome.skipped,
      undeclared: state.undeclared.map((m) => m.name),
      removed,
      ...(pruneError ? { error: errorJson(pruneError) } : {}),
    });
  } else if (outcome.failed.length === 0 && !pruneError) {
    say(`in sync: all ${declared.models.length} declared model${declared.models.length === 1 ? "" : "s"} present`);
  }
  if (outcome.failed.length > 0) return outcomeCode(outcome);
  return pruneError ? exitCodeFor(pruneError) : EXIT.OK;
}
