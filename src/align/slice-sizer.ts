/**
 * How many steps of bulk work go in one slice, from measured service time: the slice that takes
 * about `targetMs`. A live lookup waits for at most one slice at a queue, so the target bounds what
 * bulk work adds to its latency there; a larger target costs less per-slice overhead (a message to
 * a search worker, a model call). The cost of a step varies 5-10x with the scoring (max against
 * a re-scored candidate pool, retriever.ts) and with the catalog, so it is learned, not configured:
 * an exponentially weighted mean of milliseconds per step over the slices served so far.
 */
export interface SliceSizerOptions {
  targetMs: number;
  /** Steps in the first slice, before anything is measured. */
  initial?: number;
  min?: number;
  max?: number;
  /** Weight of the newest measurement. */
  alpha?: number;
}

export class SliceSizer {
  private msPerStep: number | undefined;
  private readonly min: number;
  private readonly max: number;
  private readonly alpha: number;

  constructor(private readonly options: SliceSizerOptions) {
    this.min = options.min ?? 1;
    this.max = options.max ?? 512;
    this.alpha = options.alpha ?? 0.2;
  }

  /** Steps in the next slice. */
  next(): number {
    if (this.msPerStep === undefined) return clamp(this.options.initial ?? 16, this.min, this.max);
    return clamp(Math.round(this.options.targetMs / Math.max(this.msPerStep, 1e-6)), this.min, this.max);
  }

  /** Records that a slice of `steps` took `ms`. */
  observe(steps: number, ms: number): void {
    if (steps <= 0 || !(ms >= 0)) return;
    const sample = ms / steps;
    this.msPerStep = this.msPerStep === undefined ? sample : this.msPerStep + this.alpha * (sample - this.msPerStep);
  }

  /** The learned cost (for metrics); undefined before the first slice. */
  get millisecondsPerStep(): number | undefined {
    return this.msPerStep;
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
