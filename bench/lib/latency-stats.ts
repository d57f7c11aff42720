/**
 * Latency summaries for the live-server benchmarks (contention, ingest rate). Nearest-rank
 * percentiles over every recorded sample, not histogram buckets: at 20 requests/s for 15 s there
 * are only 300 samples, so p99 is the 4th-worst request and bucket bounds would hide how bad it was.
 */

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (NaN when empty): the smallest value with ≥ p % at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** p50/p90/p99/max in ms, rounded to 0.1 ms (finer is below the noise of a shared 2-core machine). */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (v: number) => (Number.isNaN(v) ? v : Math.round(v * 10) / 10);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : Number.NaN),
  };
}

/** a / b rounded to two decimals; undefined when b is not a positive number (nothing to compare with). */
export function ratioOf(a: number, b: number): number | undefined {
  if (!(b > 0) || !Number.isFinite(a)) return undefined;
  return Math.round((a / b) * 100) / 100;
}

/** The middle value (the upper one of the two for an even count): the typical run of a few repeats. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
