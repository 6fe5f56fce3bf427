#!/usr/bin/env node
import { createInterface } from "node:readline/promises";
import { main } from "./cli/main.js";
import { realHost } from "./host/real.js";

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
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
  host: realHost(),
  ...(process.stdin.isTTY ? { confirm } : {}),
});
process.exitCode = code;
