import { statSync } from 'node:fs';

/**
 * Progress reporting for long CLI jobs: a redrawn bar with rate and ETA on a terminal, plain
 * periodic lines otherwise (logs and CI must not fill with carriage returns).
 */
export interface ProgressOptions {
  label: string;
  /** Total work in `unit`s when known (e.g. bytes of the input file). */
  total?: number;
  /** What the rate counts, e.g. "products". */
  itemName: string;
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Milliseconds between plain lines when not on a terminal. */
  plainIntervalMs?: number;
}

/** Where a job reports: the stream and, off a terminal, how often. */
export interface ProgressSink {
  stderr: NodeJS.WritableStream;
  plainIntervalMs?: number;
}

export class Progress {
  /** Progress through an input file, counted in bytes read. */
  static overFile(label: string, file: string, itemName: string, sink: ProgressSink): Progress {
    return new Progress({ label, total: statSync(file).size, itemName, stream: sink.stderr, plainIntervalMs: sink.plainIntervalMs });
  }

  private readonly started = performance.now();
  private readonly stream: NodeJS.WritableStream;
  private readonly tty: boolean;
  private lastDraw = 0;
  private done = 0;
  private items = 0;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = Boolean((this.stream as NodeJS.WriteStream).isTTY);
  }

  /** Records `work` more units done (towards total) and `items` more items processed. */
  update(work: number, items: number): void {
    this.done += work;
    this.items += items;
    const now = performance.now();
    const interval = this.tty ? 100 : (this.options.plainIntervalMs ?? 5000);
    if (now - this.lastDraw >= interval) {
      this.lastDraw = now;
      this.draw(now);
    }
  }

  finish(): void {
    this.draw(performance.now());
    if (this.tty) this.stream.write('\n');
  }

  private draw(now: number): void {
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.items / seconds : 0;
    const total = this.options.total;
    const fraction = total ? Math.min(1, this.done / total) : undefined;
    const eta = fraction && fraction > 0 ? (seconds / fraction) * (1 - fraction) : undefined;
    const parts = [
      this.options.label,
      fraction !== undefined ? `${(fraction * 100).toFixed(1)}%` : undefined,
      `${this.items.toLocaleString('en-US')} ${this.options.itemName}`,
      `${Math.round(rate).toLocaleString('en-US')}/s`,
      eta !== undefined ? `ETA ${formatDuration(eta)}` : undefined,
      `elapsed ${formatDuration(seconds)}`,
    ].filter(Boolean);
    if (this.tty) {
      const width = 24;
      const filled = Math.round((fraction ?? 0) * width);
      const bar = fraction !== undefined ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
      this.stream.write(`\r\x1b[2K${bar}${parts.join('  ')}`);
    } else {
      this.stream.write(`${parts.join('  ')}\n`);
    }
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
