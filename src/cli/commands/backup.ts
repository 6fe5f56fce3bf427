import { runBackup } from "../../app/backup.js";
import { listBackups, runRestore, type RestorePreview } from "../../app/restore.js";
import type { CliIO } from "../io.js";
import type { GlobalArgs } from "../command.js";
import { LlmError } from "../../errors.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";
import { reportError } from "../report-error.js";
import { styleOf } from "../style.js";

const kib = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

export const backup: Command = {
  command: "backup",
  describe: "Back up MongoDB, LibreChat's files, the config and the secrets into backups/ (Compose, through docker compose)",
  options: {
    "with-models": { type: "boolean", default: false, describe: "Include Ollama's models (left out by default: they can be pulled again)" },
  },
  builder: (y) =>
    y
      .example("llm backup", "a backup in backups/<time>/, with every file's checksum")
      .example("llm backup --with-models", "Ollama's models too (they can be large)"),
  run: async (args, { io }) => {
    const report = await runBackup({
      cwd: args.cwd,
      ...(args.config ? { configPath: args.config } : {}),
      options: args.resolveOptions,
      env: io.env,
      now: io.now ?? Date.now,
      withModels: Boolean(args["with-models"]),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    if (!report.ok) return reportError(io, report.error, args.json);
    const { name, folder, entries, skipped, gitignored } = report.value;
    if (args.json) {
      // The checksums stay in backup.json (0600): a hash of secrets.env is no business of a CI log.
      const listed = entries.map((entry) => ({ file: entry.file, what: entry.what, bytes: entry.bytes, ...(entry.service ? { service: entry.service } : {}) }));
      io.stdout(`${JSON.stringify({ ok: true, name, folder, gitignored, entries: listed, skipped, restore: `llm restore ${name}` }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (args.quiet) return EXIT.OK;
    const s = styleOf(io);
    const ignored = gitignored ? "gitignored" : `${s.yellow("backups/.gitignore is your own")}: check that git ignores it`;
    const lines = [`Backed up to ${s.bold(folder)}/ (mode 0700, ${ignored}; checksums in backup.json):`];
    for (const entry of entries) lines.push(`  ${entry.file}  ${kib(entry.bytes)}  ${s.dim(entry.what)}`);
    for (const skip of skipped) lines.push(`  ${s.yellow("left out")}: ${skip.what}: ${skip.why}`);
    lines.push("", `Restore it: llm restore ${name}`, `It holds secrets.env: keep a copy of ${folder}/ off this machine, where only you can read it.`);
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.OK;
  },
};

function describePreview(preview: RestorePreview): string {
  const lines = [`Restoring ${preview.manifest.name} (taken ${preview.manifest.created}) replaces:`];
  for (const entry of preview.manifest.entries) if (!entry.source) lines.push(`  ${entry.what}`);
  if (preview.replacedFiles.length > 0) lines.push(`  these files, with the backup's: ${preview.replacedFiles.join(", ")}`);
  for (const change of preview.imageChanges) lines.push(`  ${change.service}: the backup is from ${change.backup}, the stack runs ${change.now} (--force)`);
  return `${lines.join("\n")}\n`;
}

/** `llm restore` without a name: what there is to restore. */
async function list(args: GlobalArgs, io: CliIO): Promise<number> {
  const listed = await listBackups({ cwd: args.cwd, ...(args.config ? { configPath: args.config } : {}), options: args.resolveOptions });
  if (!listed.ok) return reportError(io, listed.error, args.json);
  if (listed.value.length === 0) {
    return reportError(io, new LlmError("BACKUP_NOT_FOUND", "there are no backups in backups/", { hint: "make one with llm backup" }), args.json);
  }
  if (args.json) {
    io.stdout(`${JSON.stringify({ ok: true, backups: listed.value }, null, 2)}\n`);
    return EXIT.OK;
  }
  const s = styleOf(io);
  const lines = ["Backups in backups/ (oldest first):"];
  for (const b of listed.value)
    lines.push(`  ${b.name}  ${b.complete ? s.green("complete") : s.red(`incomplete${b.reason ? `: ${b.reason}` : " (cut off)"}`)}`);
  const newest = listed.value.filter((b) => b.complete).at(-1);
  lines.push("", newest ? `Restore one: llm restore ${newest.name}` : "None is complete: make one with llm backup");
  io.stdout(`${lines.join("\n")}\n`);
  return EXIT.OK;
}

export const restore: Command = {
  command: "restore [name]",
  // Newest first: the one usually wanted. Only complete ones: restore refuses the others.
  completeWords: async (words, cwd) => {
    if (words.length > 0) return [];
    const listed = await listBackups({ cwd });
    return listed.ok ? listed.value.flatMap((b) => (b.complete ? [b.name] : [])).reverse() : [];
  },
  describe: "Restore a backup made by llm backup, after checking its checksums and images (no name: list them)",
  options: {
    yes: { alias: "y", type: "boolean", default: false, describe: "Restore without asking" },
    force: { type: "boolean", default: false, describe: "Restore into images of another major version than the backup's" },
  },
  builder: (y) =>
    y
      .positional("name", { type: "string", describe: "The backup's folder name in backups/, e.g. 2026-12-04T00-53-29Z (none: list them)" })
      .example("llm restore", "lists the backups, complete or not")
      .example("llm restore 2026-12-04T00-53-29Z", "asks, then restores that backup")
      .example("llm restore 2026-12-04T00-53-29Z --yes", "without the question (scripts)"),
  run: async (args, { io }) => {
    const name = args["name"] as string | undefined;
    if (!name) return list(args, io);
    const report = await runRestore({
      cwd: args.cwd,
      ...(args.config ? { configPath: args.config } : {}),
      options: args.resolveOptions,
      env: io.env,
      name,
      force: Boolean(args["force"]),
      ...(io.signal ? { signal: io.signal } : {}),
      confirm: async (preview) => {
        if (args["yes"]) return true;
        if (!io.prompt || args.json) return false;
        io.stderr(describePreview(preview));
        return /^y(es)?$/i.test((await io.prompt(`Restore ${name}? [y/N] `)).trim());
      },
    });
    if (!report.ok) return reportError(io, report.error, args.json);
    const { restored, replacedFiles, next } = report.value;
    if (args.json) {
      io.stdout(`${JSON.stringify({ ok: true, name, restored: restored.map((e) => e.file), replacedFiles, next }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (!args.quiet) {
      // Named whatever the question was (--yes asks none): llm.config.ts may be among them.
      const replaced = replacedFiles.length > 0 ? ["", `Replaced with the backup's: ${replacedFiles.join(", ")}`] : [];
      const lines = [
        `Restored ${styleOf(io).bold(name)}:`,
        ...restored.map((e) => `  ${e.file}  ${e.what}`),
        ...replaced,
        "",
        "Next:",
        ...next.map((c) => `  ${c}`),
      ];
      io.stdout(`${lines.join("\n")}\n`);
    }
    return EXIT.OK;
  },
};
