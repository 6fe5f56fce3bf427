// LLM_TRACE=1 prints where a run spends its time, one line per phase on stderr, measured from the
// start of the Node process (performance.now()), so Node's own start-up shows too.
// Diagnostics only: it never changes what a command writes or prints on stdout.
let sink: ((line: string) => void) | undefined;
let last = 0;

export function enableTrace(env: Record<string, string | undefined>, write: (line: string) => void): void {
  sink = env["LLM_TRACE"] === "1" ? write : undefined;
  last = 0;
}

export function trace(phase: string): void {
  if (!sink) return;
  const now = performance.now();
  sink(`[trace] ${phase.padEnd(34)} ${`+${(now - last).toFixed(1)}`.padStart(7)} ms ${now.toFixed(1).padStart(7)} ms since start\n`);
  last = now;
}
