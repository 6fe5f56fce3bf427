#!/usr/bin/env node
import { main } from "./cli/main.js";

async function ask(question: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  // Questions go to stderr so `--json` output on stdout stays parseable.
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

const code = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  ...(process.stdin.isTTY ? { prompt: ask } : {}),
});
process.exitCode = code;
