import type { KindIndex } from './kind-index.js';

export interface IndexMoverOptions {
  /** Longest a background slice should hold the event loop. */
  sliceMs: number;
  /** Longest wait between retries after native index failures (the wait doubles from 50 ms). */
  maxBackoffMs?: number;
  onFailure?: (err: unknown, consecutive: number) => void;
}

export interface IndexMoverStats {
  /** Native index calls that threw since start. */
  failures: number;
  /** Failures since the last successful slice (0 when healthy). */
  consecutiveFailures: number;
  lastError?: string;
  moved: number;
  removed: number;
}

const FIRST_BACKOFF_MS = 50;
/** Bounds on one slice's batch: one text at least, and no more than usearch handles well in one call. */
const MIN_CHUNK = 1;
const MAX_CHUNK = 1024;
/** Queued removals applied per slice; a native removal costs microseconds, not milliseconds. */
const REMOVALS_PER_SLICE = 4096;

/**
 * Moves committed texts from the exact tails into the ANN indexes in the background, in slices
 * sized to hold the event loop for about `sliceMs`, retrying with exponential backoff when the
 * native index throws. The texts stay searchable in the tail the whole time, so a slow or failing
 * index delays only the move, never visibility.
 */
export class IndexMover {
  private scheduled = false;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  /** Running estimate of the cost of inserting one text, to size slices (starts pessimistic). */
  private msPerText = 1;
  private turn = 0;
  private readonly waiters: { below: number; resolve: () => void }[] = [];
  readonly stats: IndexMoverStats = { failures: 0, consecutiveFailures: 0, moved: 0, removed: 0 };

  constructor(
    private readonly kinds: readonly KindIndex[],
    private readonly options: IndexMoverOptions,
  ) {}

  backlog(): { texts: number; removals: number } {
    let texts = 0;
    let removals = 0;
    for (const kind of this.kinds) {
      const b = kind.backlog();
      texts += b.texts;
      removals += b.removals;
    }
    return { texts, removals };
  }

  /** Starts background work if there is any and none is running or waiting to retry. */
  schedule(): void {
    if (this.scheduled || this.stopped || this.retryTimer) return;
    const { texts, removals } = this.backlog();
    if (texts + removals === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.slice();
    });
  }

  /**
   * Moves everything now, synchronously, in full-size batches (for open, snapshots and close, when
   * nothing else runs). False when the native index threw: the rest stays queued and searchable.
   */
  drain(): boolean {
    for (;;) {
      const { texts, removals } = this.backlog();
      if (texts + removals === 0) return true;
      try {
        for (const kind of this.kinds) this.count(kind.moveToAnn(MAX_CHUNK, Number.MAX_SAFE_INTEGER));
        this.succeeded();
      } catch (err) {
        this.failed(err);
        return false;
      } finally {
        this.release(false);
      }
    }
  }

  /**
   * Resolves once fewer than `texts` texts wait for the ANN index, or at once while the index is
   * failing: writers slow down to the index's pace instead of letting the exact tail (and every
   * search's cost) grow without bound, but a broken index never blocks writes.
   */
  waitBelow(texts: number): Promise<void> {
    if (this.backlog().texts < texts || this.stats.consecutiveFailures > 0 || this.stopped) return Promise.resolve();
    this.schedule();
    return new Promise((resolve) => this.waiters.push({ below: texts, resolve }));
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.release(true);
  }

  private slice(): void {
    if (this.stopped) return;
    const started = performance.now();
    const chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(this.options.sliceMs / this.msPerText)));
    let moved = 0;
    // The kind that goes first alternates, so a long backlog of one kind cannot starve the other.
    const order = this.turn++ % 2 === 0 ? this.kinds : [...this.kinds].reverse();
    try {
      for (const kind of order) {
        const done = kind.moveToAnn(Math.max(MIN_CHUNK, chunk - moved), REMOVALS_PER_SLICE);
        this.count(done);
        moved += done.moved;
        if (moved >= chunk) break;
      }
      if (moved > 0) {
        const perText = (performance.now() - started) / moved;
        this.msPerText = 0.7 * this.msPerText + 0.3 * perText;
      }
      this.succeeded();
      this.schedule();
    } catch (err) {
      this.failed(err);
      const wait = Math.min(this.options.maxBackoffMs ?? 30_000, FIRST_BACKOFF_MS * 2 ** (this.stats.consecutiveFailures - 1));
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.schedule();
      }, wait);
      this.retryTimer.unref();
    }
    this.release(false);
  }

  private count(done: { moved: number; removed: number }): void {
    this.stats.moved += done.moved;
    this.stats.removed += done.removed;
  }

  private succeeded(): void {
    this.stats.consecutiveFailures = 0;
  }

  private failed(err: unknown): void {
    this.stats.failures++;
    this.stats.consecutiveFailures++;
    this.stats.lastError = err instanceof Error ? err.message : String(err);
    this.options.onFailure?.(err, this.stats.consecutiveFailures);
    this.release(true);
  }

  private release(all: boolean): void {
    const texts = this.backlog().texts;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (all || texts < this.waiters[i].below) {
        this.waiters[i].resolve();
        this.waiters.splice(i, 1);
      }
    }
  }
}
