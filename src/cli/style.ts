// Colors for people at a terminal, never for pipes, files or NO_COLOR users.
import type { Colors } from "picocolors/types.js";
import type { CliIO } from "./io.js";

export type Style = Colors;

// Loaded on first use: picocolors asks at load time whether stdout is a terminal, which creates
// process.stdout (and loads node:net for a pipe, ~8 ms), even for a run that prints nothing. So is
// node:module, which the require needs (~0.6 ms).
let createColors: ((enabled: boolean) => Colors) | undefined;

/**
 * --color/--no-color win, then NO_COLOR (https://no-color.org: any non-empty value), then
 * FORCE_COLOR, then whether stdout is a terminal that understands escapes.
 */
export function colorEnabled(flag: boolean | undefined, io: Pick<CliIO, "env" | "isTTY">): boolean {
  if (flag !== undefined) return flag;
  if (io.env["NO_COLOR"]) return false;
  const force = io.env["FORCE_COLOR"];
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return io.isTTY && io.env["TERM"] !== "dumb";
}

export function styleOf(io: Pick<CliIO, "color">): Style {
  createColors ??= (process.getBuiltinModule("node:module").createRequire(import.meta.url)("picocolors") as { createColors: (enabled: boolean) => Colors })
    .createColors;
  return createColors(io.color === true);
}

/** Columns a text takes on screen: escape codes take none. */
export const visibleLength = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "").length;

export function padEnd(text: string, width: number): string {
  const visible = visibleLength(text);
  return visible >= width ? text : text + " ".repeat(width - visible);
}
