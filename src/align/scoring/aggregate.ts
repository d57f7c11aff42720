/**
 * How a product's per-text scores become one score for a step.
 *
 * - max: its best text (the default; what a single "lucky" intention earns).
 * - mean: the average over all its texts of the matched kinds, as the EcomScriptBench paper scores
 *   products (average similarity over intentions, kept above τ = 0.45).
 * - topm: the average of its m best texts, a middle ground; a product with fewer than m texts
 *   averages the ones it has (topm with m = 1 is max).
 *
 * Every aggregation is at most max, which is what makes the index's max-ranked candidates a
 * complete pool above a threshold (retriever.ts).
 */
export type Aggregation = 'max' | 'mean' | 'topm';

export const AGGREGATIONS: readonly Aggregation[] = ['max', 'mean', 'topm'];

export function aggregate(scores: readonly number[], how: Aggregation, m = 1): number {
  if (!scores.length) return Number.NEGATIVE_INFINITY;
  if (how === 'max') return Math.max(...scores);
  if (how === 'mean') return sum(scores) / scores.length;
  if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`m must be a positive integer, got ${m}`);
  const best = [...scores].sort((a, b) => b - a).slice(0, m);
  return sum(best) / best.length;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
