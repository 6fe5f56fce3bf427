// Temporary folders with a config in them, a seeded random source, and an in-memory CLI.
import { createHash } from "node:crypto";
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/io.js";
import { parseSecrets, type RandomString } from "../../src/secrets/store.js";

export function tempDir(prefix = "llm-test-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A folder holding one config file (text) named `name`. */
export function workspaceWith(name: string, text: string): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, name), text);
  return dir;
}

export function copyExample(exampleDir: string): string {
  const dir = tempDir("llm-example-");
  cpSync(path.join(exampleDir, "llm.config.ts"), path.join(dir, "llm.config.ts"));
  return dir;
}

/** Deterministic "random" strings: the same secrets on every run, so outputs can be compared. */
export function seededRandom(seed = "seed"): RandomString {
  let counter = 0;
  return (alphabet, length) => {
    let out = "";
    while (out.length < length) {
      const bytes = createHash("sha256").update(`${seed}:${counter++}`).digest();
      for (const byte of bytes) if (out.length < length) out += alphabet[byte % alphabet.length];
    }
    return out;
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  cwd: string,
  options: { random?: RandomString; isTTY?: boolean; env?: Record<string, string>; io?: Partial<CliIO> } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    cwd,
    env: options.env ?? {},
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTTY: options.isTTY ?? false,
    ...options.io,
  };
  const drawn: string[] = [];
  const random = options.random ?? seededRandom();
  const recording: RandomString = (alphabet, length) => {
    const value = random(alphabet, length);
    drawn.push(value);
    return value;
  };
  const code = await main(argv, io, { random: recording });
  const run = { code, stdout, stderr };
  if (argv.includes("diff") && !argv.includes("--show-secrets")) assertNoSecretShown(run, [...drawn, ...secretValuesNear(cwd, argv)]);
  return run;
}

/** Secret values in the secrets files a command run in `cwd` with `argv` can see. */
function secretValuesNear(cwd: string, argv: string[]): string[] {
  const configAt = argv.findIndex((arg) => arg === "--config" || arg === "-c");
  const dirs = [cwd];
  if (configAt >= 0 && argv[configAt + 1]) dirs.push(path.dirname(path.resolve(cwd, argv[configAt + 1]!)));
  const values: string[] = [];
  for (const dir of dirs) {
    const file = path.join(dir, "secrets.env");
    if (existsSync(file)) values.push(...[...parseSecrets(readFileSync(file, "utf8")).values()].map((entry) => entry.value));
  }
  return values;
}

/** Every `llm diff` the suite runs through runCli passes here: a secret in its output fails the test. */
export let diffOutputsChecked = 0;
export function assertNoSecretShown(run: CliRun, secretValues: string[]): void {
  diffOutputsChecked++;
  for (const value of secretValues) {
    if (value.length >= 8 && (run.stdout.includes(value) || run.stderr.includes(value))) {
      throw new Error(`llm diff printed a secret value (one of ${value.length} characters)`);
    }
  }
}

/** Every file below `dir` with its bytes, mode and mtime: equal snapshots mean nothing changed. */
export function snapshot(dir: string): Map<string, { contents: string; mode: number; mtimeMs: number }> {
  const out = new Map<string, { contents: string; mode: number; mtimeMs: number }>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isSymbolicLink()) {
        // A link is recorded as where it points, never followed (it may loop, or lead outside).
        const st = lstatSync(path.join(dir, rel));
        out.set(rel, { contents: `-> ${readlinkSync(path.join(dir, rel))}`, mode: 0, mtimeMs: st.mtimeMs });
      } else if (entry.isDirectory()) walk(rel);
      else if (entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice()) {
        // Reading a FIFO would block: its presence and mode are what can change.
        const st = statSync(path.join(dir, rel));
        out.set(rel, { contents: "<not a regular file>", mode: st.mode & 0o777, mtimeMs: st.mtimeMs });
      } else {
        const full = path.join(dir, rel);
        const st = statSync(full);
        out.set(rel, { contents: readFileSync(full, "latin1"), mode: st.mode & 0o777, mtimeMs: st.mtimeMs });
      }
    }
  };
  walk("");
  return out;
}

export function listFiles(dir: string): string[] {
  return [...snapshot(dir).keys()].sort();
}
