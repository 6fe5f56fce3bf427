// Temporary folders with a config in them, a seeded random source, and an in-memory CLI.
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/io.js";
import type { RandomString } from "../../src/secrets/store.js";

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

export async function runCli(argv: string[], cwd: string, options: { random?: RandomString; isTTY?: boolean; env?: Record<string, string>; io?: Partial<CliIO> } = {}): Promise<CliRun> {
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
  const code = await main(argv, io, { random: options.random ?? seededRandom() });
  return { code, stdout, stderr };
}

/** Every file below `dir` with its bytes, mode and mtime: equal snapshots mean nothing changed. */
export function snapshot(dir: string): Map<string, { contents: string; mode: number; mtimeMs: number }> {
  const out = new Map<string, { contents: string; mode: number; mtimeMs: number }>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else {
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
