// Runs one `llm` command against the real process: the only module besides the launcher
// (src/bin.ts) that touches `process`. Loaded from dist/core.cjs through the code cache.
import { fstatSync, statSync } from "node:fs";
import { finishRun, startRun } from "../app/run-lifecycle.js";
import type { ModuleImporter } from "../config/module-loader.js";
import { enableTrace, trace } from "../util/trace.js";
import { main } from "./main.js";

export interface RunOptions {
  /** How the config's module is evaluated; the launcher passes Node's own loader. */
  importModule?: ModuleImporter;
  /** URL of this package's entry, for configs that import "local-llm-stack". */
  ownPackageUrl?: string;
  /** URL of a module exporting only defineConfig (what most configs import). */
  defineConfigUrl?: string;
  /** The user's cache folder (src/cli/code-cache.ts), for transformed TypeScript configs and the
   * rendered files already parsed back. */
  cacheDir?: string;
  /** The CLI bundle's SHA-256 (src/bin.ts). */
  buildId?: string;
}

// process.stdout and process.stderr are created on first use (~3 ms for stdout): a quiet run
// never creates them.
let stdoutUsed = false;
let stderrUsed = false;

function writeStdout(text: string): void {
  if (!stdoutUsed) {
    stdoutUsed = true;
    // `llm diff | head`: a reader that stops early is not an error.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  process.stdout.write(text);
}

function writeStderr(text: string): void {
  stderrUsed = true;
  process.stderr.write(text);
}

/** isatty(fd), without loading node:tty (and with it node:net, ~8 ms) unless the descriptor is a
 * character device other than /dev/null: a pipe, file or socket is never a terminal. */
async function isTerminal(fd: number): Promise<boolean> {
  try {
    const device = fstatSync(fd);
    if (!device.isCharacterDevice() || device.rdev === devNull()) return false;
  } catch {
    // A descriptor fstat cannot describe: let isatty decide.
  }
  const { isatty } = await import("node:tty");
  return isatty(fd);
}

let devNullDevice: number | null | undefined;

/** The device number of /dev/null (null where there is none), looked up once. */
function devNull(): number | null {
  if (devNullDevice === undefined) {
    try {
      devNullDevice = statSync("/dev/null").rdev;
    } catch {
      devNullDevice = null;
    }
  }
  return devNullDevice;
}

/** Whether this run did a command's work (or answered a tab completion), so V8's code cache made
 * from it holds what the next run of that command compiles. A run that printed help
 * (`llm generate --quiet --help`) compiled only yargs' path: cached under the command's name, it
 * would be used by every later run of it. */
let ranCommand = false;
export const codeCacheWorthy = (): boolean => ranCommand;

/** Whether everything written has reached the OS, so the process may exit at once. */
export function outputFlushed(): boolean {
  return (!stdoutUsed || process.stdout.writableLength === 0) && (!stderrUsed || process.stderr.writableLength === 0);
}

export async function runCli(args: string[], options: RunOptions = {}): Promise<number> {
  enableTrace(process.env);
  startRun(options);
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

  /** readline with its echo going nowhere: the question is written, the answer never is. */
  async function askHidden(question: string): Promise<string> {
    const [{ createInterface }, { Writable }] = await Promise.all([import("node:readline/promises"), import("node:stream")]);
    let muted = false;
    const output = new Writable({
      write(chunk, _encoding, done) {
        if (!muted) process.stderr.write(chunk as Buffer);
        done();
      },
    });
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    rl.on("SIGINT", () => interrupt.abort());
    try {
      const answer = rl.question(question, { signal: interrupt.signal });
      muted = true;
      return await answer;
    } finally {
      rl.close();
      process.stderr.write("\n");
    }
  }

  async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  process.on("exit", () => trace("exit"));
  const code = await main(
    args,
    {
      cwd: process.cwd(),
      env: process.env,
      stdout: writeStdout,
      stderr: writeStderr,
      isTTY: await isTerminal(1),
      // Read at each redraw of a progress bar: Node updates it on SIGWINCH.
      columns: () => process.stdout.columns,
      ...((await isTerminal(0)) ? { prompt: ask, promptHidden: askHidden } : { readStdin }),
      signal: interrupt.signal,
    },
    { onCommand: () => (ranCommand = true) },
  );
  trace("command finished");
  finishRun(code);
  return code;
}
