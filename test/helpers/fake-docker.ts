// A folder holding a `docker` stand-in (test/fixtures/fake-docker.mjs) and its script, and the
// environment that puts it first on PATH.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./paths.js";
import { tempDir } from "./workspace.js";

export interface FakeDockerRule {
  /** Strings that must all occur in the arguments (joined by spaces). */
  match: string[];
  stdout?: string;
  /** That many bytes on stdout, written as a stream of 1 MiB chunks. */
  stdoutBytes?: number;
  stderr?: string;
  code?: number;
  /** Read stdin to the end and record its SHA-256 and size (a restore's input). */
  readStdin?: boolean;
  sleepMs?: number;
}

interface FakeDockerCall {
  args: string[];
  cwd: string;
  pid: number;
  stdin: { sha256: string; bytes: number } | null;
}

export interface FakeDocker {
  dir: string;
  /** PATH with the stand-in first, and FAKE_DOCKER_DIR. */
  env: Record<string, string>;
  calls(): FakeDockerCall[];
  script(rules: FakeDockerRule[]): void;
}

const FIXTURE = path.join(ROOT, "test", "fixtures", "fake-docker.mjs");

export function fakeDocker(rules: FakeDockerRule[]): FakeDocker {
  const dir = tempDir("llm-fake-docker-");
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "docker"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(FIXTURE)} "$@"\n`);
  chmodSync(path.join(bin, "docker"), 0o755);
  const script = (next: FakeDockerRule[]) => writeFileSync(path.join(dir, "script.json"), JSON.stringify({ rules: next }));
  script(rules);
  return {
    dir,
    env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_DOCKER_DIR: dir },
    script,
    calls: () => {
      const file = path.join(dir, "calls.jsonl");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as FakeDockerCall);
    },
  };
}
