#!/usr/bin/env node
// The only file that touches `process`. Help requests are answered from prerendered text; every
// other command loads the CLI.
import { prerenderedHelp } from "./cli/fast-help.js";

// `llm diff | head`: a reader that stops early is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const argv = process.argv.slice(2);
const help = prerenderedHelp(argv, process.env, new URL("./help.json", import.meta.url));
if (help !== undefined) process.stdout.write(help);
else process.exitCode = await runCli(argv);

async function runCli(args: string[]): Promise<number> {
  // Ctrl-C aborts this signal so a command can stop cleanly (a model pull ends its progress
  // display and says how to resume). A command that does not watch the signal is stopped a moment
  // later, and a second Ctrl-C stops at once.
  const interrupt = new AbortController();
  process.on("SIGINT", () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
    setTimeout(() => process.exit(130), 2000).unref();
  });

  async function ask(question: string): Promise<string> {
    const { createInterface } = await import("node:readline/promises");
    // Questions go to stderr so `--json` output on stdout stays parseable.
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    // In a terminal readline takes Ctrl-C itself: pass it on.
    rl.on("SIGINT", () => interrupt.abort());
    try {
      return await rl.question(question, { signal: interrupt.signal });
    } finally {
      rl.close();
    }
  }

  const { enableTrace, trace } = await import("./trace.js");
  enableTrace(process.env, (line) => process.stderr.write(line));
  trace("node started, bin loaded");
  const { main } = await import("./cli/main.js");
  trace("cli modules loaded");
  process.on("exit", () => trace("exit"));
  const code = await main(args, {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    ...(process.stdin.isTTY ? { prompt: ask } : {}),
    signal: interrupt.signal,
  });
  trace("command finished");
  return code;
}
