// Human units for sizes, rates and durations. Sizes use decimal units with one decimal place, as
// `ollama list` and `ollama pull` print them, so the numbers match what users already know.

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // "2.0 GB", "11 KB", "274 MB", as Ollama prints them: one decimal below 10 only.
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** 9 → "9s", 125 → "2m05s", 3720 → "1h02m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

const AGE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["week", 7 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];

// Created on first use: loading ICU's data for it costs ~20 ms, paid by every command otherwise.
let relative: Intl.RelativeTimeFormat | undefined;

/** How long ago `then` was, relative to `now`: "3 days ago", "last month", "now". */
export function formatAge(then: Date, now: number): string {
  const seconds = Math.max(0, (now - then.getTime()) / 1000);
  for (const [unit, size] of AGE_STEPS) {
    if (seconds >= size) return (relative ??= new Intl.RelativeTimeFormat("en", { numeric: "auto" })).format(-Math.floor(seconds / size), unit);
  }
  return "just now";
}
