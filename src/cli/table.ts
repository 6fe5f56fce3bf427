import { padEnd, visibleLength } from "./style.js";

/** Rows as aligned columns (two spaces apart); the last column is never padded. */
export function table(rows: readonly (readonly string[])[], indent = ""): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : padEnd(cell, widths[i] ?? 0))).join("  "));
}

/** One line per value: strings quoted, lists and maps as compact JSON. */
export function showValue(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
