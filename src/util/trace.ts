// LLM_TRACE=1 prints where a run spends its time, one line per phase on stderr, measured from the
// start of the Node process (performance.now()), so Node's own start-up shows too, with the
// resident memory at that point (touching fresh memory is a large part of start-up cost).
// Diagnostics only: it never changes what a command writes or prints on stdout. Lines go straight
// to file descriptor 2: creating process.stderr loads Node's stream and TTY modules (~5 ms), which
// would show up in the very phase being measured.
// The launcher and the core bundle each carry a copy of this module; the time of the last line
// lives on globalThis so both copies print one consistent sequence.
import { writeSync } from "node:fs";

const LAST = Symbol.for("local-llm-stack.trace.last");
const state = globalThis as unknown as { [LAST]?: number };
let sink: ((line: string) => void) | undefined;

function writeTrace(line: string): void {
  try {
    writeSync(2, line);
  } catch {
    // A full non-blocking pipe (EAGAIN) or a closed one: a trace line is not worth failing for.
  }
}

export function enableTrace(env: Record<string, string | undefined>): void {
  sink = env["LLM_TRACE"] === "1" ? writeTrace : undefined;
  state[LAST] ??= 0;
}

export function trace(phase: string): void {
  if (!sink) return;
  const now = performance.now();
  const last = state[LAST] ?? 0;
  const rss = (process.memoryUsage.rss() / 1048576).toFixed(1).padStart(5);
  sink(`[trace] ${phase.padEnd(34)} ${`+${(now - last).toFixed(1)}`.padStart(7)} ms ${now.toFixed(1).padStart(7)} ms since start  rss ${rss} MB\n`);
  state[LAST] = now;
}
