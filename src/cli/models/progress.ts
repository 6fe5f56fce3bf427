// Renders one pull's progress stream. On a terminal: a block redrawn in place, one bar per layer
// with bytes, rate and time left. Piped: plain lines, at most one per layer per interval, so a log
// stays readable. The clock is injected: with a fake one the piped text is the same on every run.
import type { PullEvent } from "../../models/types.js";
import { formatBytes, formatDuration, formatRate } from "./format.js";

export interface ProgressOptions {
  write: (text: string) => void;
  /** Redraw in place with ANSI escapes (stdout is a terminal). */
  live: boolean;
  now: () => number;
  /** Piped: the least time between two lines about the same layer. */
  intervalMs?: number;
  /** Live: the least time between two redraws. */
  redrawMs?: number;
  /** Live: the terminal's width, read at every redraw (a function follows resizes). Bars fit it,
   * and lines are cut to it so the redraw's line count stays exact. */
  columns?: number | (() => number | undefined);
}

interface Layer {
  short: string;
  total: number;
  completed: number;
  startedAt: number;
  /** Bytes already there when this run first saw the layer (a resumed pull): not part of the rate. */
  startCompleted: number;
  lastLineAt: number;
  doneAt?: number;
}

type Row = { status: string } | { layer: Layer };

const BAR_WIDTH = 16;
const MIN_BAR_WIDTH = 8;
const ESC = "\u001b[";

/** "sha256:dde5aa3fc5ff…" → "dde5aa3fc5ff", as `ollama pull` names layers. */
function shortDigest(digest: string): string {
  return digest.replace(/^sha256[:-]/, "").slice(0, 12);
}

export class PullProgress {
  private readonly rows: Row[] = [];
  private readonly layers = new Map<string, Layer>();
  private readonly intervalMs: number;
  private readonly redrawMs: number;
  private startedAt: number | undefined;
  private lastStatus = "";
  private drawnLines = 0;
  private drawnWidth = 0;
  private lastDrawAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly model: string,
    private readonly options: ProgressOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.redrawMs = options.redrawMs ?? 100;
  }

  update(event: PullEvent): void {
    const now = this.options.now();
    this.startedAt ??= now;
    if (event.digest && event.total) this.updateLayer(event.digest, event.total, event.completed ?? 0, now);
    else if (event.status && event.status !== "success" && event.status !== this.lastStatus) this.addStatus(event.status, now);
  }

  /** The pull succeeded: the last frame, then one summary line. */
  finish(): void {
    const now = this.options.now();
    const total = [...this.layers.values()].reduce((sum, layer) => sum + layer.total, 0);
    const took = this.startedAt === undefined ? 0 : (now - this.startedAt) / 1000;
    const size = `${formatBytes(total)}${took >= 1 ? ` in ${formatDuration(took)}` : ""}`;
    if (this.options.live) {
      this.draw(now);
      this.options.write(`pulled ${this.model} (${size})\n`);
    } else {
      this.options.write(`${this.model}: done, ${size}\n`);
    }
  }

  /** The pull failed or was interrupted: leave the last state on screen; the caller explains. */
  abandon(): void {
    if (this.options.live && this.rows.length > 0) this.draw(this.options.now());
  }

  private addStatus(status: string, now: number): void {
    this.lastStatus = status;
    this.rows.push({ status });
    if (this.options.live) this.draw(now);
    else this.options.write(`${this.model}: ${status}\n`);
  }

  private updateLayer(digest: string, total: number, completed: number, now: number): void {
    let layer = this.layers.get(digest);
    const isNew = layer === undefined;
    if (!layer) {
      layer = { short: shortDigest(digest), total, completed, startedAt: now, startCompleted: completed, lastLineAt: now };
      this.layers.set(digest, layer);
      this.rows.push({ layer });
    }
    layer.total = total;
    layer.completed = Math.min(completed, total);
    const justDone = layer.doneAt === undefined && layer.completed >= layer.total;
    if (justDone) layer.doneAt = now;

    if (this.options.live) {
      if (isNew || justDone || now - this.lastDrawAt >= this.redrawMs) this.draw(now);
      return;
    }
    if (justDone) this.line(layer, this.doneText(layer));
    else if (isNew) this.line(layer, formatBytes(layer.total));
    else if (now - layer.lastLineAt >= this.intervalMs) {
      layer.lastLineAt = now;
      this.line(layer, `${percent(layer)} of ${formatBytes(layer.total)}${this.speed(layer, now, ", ")}`);
    }
  }

  private line(layer: Layer, text: string): void {
    this.options.write(`${this.model}: pulling ${layer.short}: ${text}\n`);
  }

  private doneText(layer: Layer): string {
    const took = ((layer.doneAt ?? layer.startedAt) - layer.startedAt) / 1000;
    return `100% of ${formatBytes(layer.total)}${took >= 1 ? ` in ${formatDuration(took)}` : ""}`;
  }

  private speed(layer: Layer, now: number, separator: string): string {
    const parts = this.speedParts(layer, now);
    return parts ? `${separator}${parts.rate}${separator}${parts.left}` : "";
  }

  private draw(now: number): void {
    this.lastDrawAt = now;
    const width = this.width() - 1;
    const lines = [`pulling ${this.model}`, ...this.rows.map((row) => ("status" in row ? `  ${row.status}` : this.bar(row.layer, now, width)))];
    // Back to the block's first line, then rewrite every line: the block only ever grows. After a
    // resize the lines drawn may have been rewrapped (or not: terminals differ), so how far up the
    // block starts is unknown: draw a new one below instead of overwriting the wrong lines.
    let out = this.drawnLines > 0 && width === this.drawnWidth ? `\r${ESC}${this.drawnLines}A` : "";
    for (const line of lines) out += `${ESC}2K${line.length > width ? line.slice(0, width) : line}\n`;
    this.drawnLines = lines.length;
    this.drawnWidth = width;
    this.options.write(out);
  }

  private width(): number {
    const { columns } = this.options;
    const value = typeof columns === "function" ? columns() : columns;
    return value !== undefined && value > 0 ? value : 80;
  }

  /** The widest layout that leaves the bar 8 cells or more: the rate, then the time left, then the
   * layer's digest, then the amount go first on a narrow terminal. */
  private bar(layer: Layer, now: number, width: number): string {
    const done = layer.doneAt !== undefined;
    const amount = done ? formatBytes(layer.total) : `${formatBytes(layer.completed)}/${formatBytes(layer.total)}`;
    const speed = done ? undefined : this.speedParts(layer, now);
    const pct = percent(layer).padStart(4);
    const withSpeed: [string, string][] = speed
      ? [
          [`  ${layer.short} ${pct} `, ` ${amount}  ${speed.rate}  ${speed.left}`],
          [`  ${layer.short} ${pct} `, ` ${amount}  ${speed.left}`],
        ]
      : [];
    const layouts: [string, string][] = [...withSpeed, [`  ${layer.short} ${pct} `, ` ${amount}`], [`  ${pct} `, ` ${amount}`], [`  ${pct} `, ""]];
    const fits = layouts.findIndex(([before, after]) => width - before.length - after.length - 2 >= MIN_BAR_WIDTH);
    const [before, after] = layouts[fits === -1 ? layouts.length - 1 : fits]!;
    const cells = Math.max(0, Math.min(BAR_WIDTH, width - before.length - after.length - 2));
    const filled = Math.round((layer.completed / layer.total) * cells);
    return `${before}▕${"█".repeat(filled)}${" ".repeat(cells - filled)}▏${after}`;
  }

  /** Rate and time left from the bytes this run downloaded; none until there is something to measure. */
  private speedParts(layer: Layer, now: number): { rate: string; left: string } | undefined {
    const seconds = (now - layer.startedAt) / 1000;
    const bytes = layer.completed - layer.startCompleted;
    if (seconds <= 0 || bytes <= 0) return undefined;
    const rate = bytes / seconds;
    return { rate: formatRate(rate), left: `${formatDuration((layer.total - layer.completed) / rate)} left` };
  }
}

function percent(layer: Layer): string {
  return `${Math.floor((layer.completed / layer.total) * 100)}%`;
}
