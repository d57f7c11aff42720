/**
 * Threshold calibration arithmetic, from human-labelled step–product pairs with their scores.
 * A pair is predicted useful at threshold t when score ≥ t (the alignment's rule).
 */

export interface ScoredLabel {
  score: number;
  label: boolean;
}

export interface SweepRow {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** null when nothing is predicted useful at this threshold. */
  precision: number | null;
  /** null when no pair is labelled useful. */
  recall: number | null;
  /** 0 when precision or recall is 0 or undefined with labelled positives present; null without labelled positives. */
  f1: number | null;
}

/** Thresholds from `from` to `to` in steps of `step`, computed from integers so 0.30 is exactly 0.3. */
export function thresholdGrid(from = 0.2, to = 0.8, step = 0.01): number[] {
  const scale = Math.round(1 / step);
  const out: number[] = [];
  for (let i = Math.round(from * scale); i <= Math.round(to * scale); i++) out.push(i / scale);
  return out;
}

export function sweep(items: readonly ScoredLabel[], thresholds: readonly number[]): SweepRow[] {
  const positives = items.filter((i) => i.label).length;
  const negatives = items.length - positives;
  return thresholds.map((threshold) => {
    let tp = 0;
    let fp = 0;
    for (const i of items) {
      if (i.score < threshold) continue;
      if (i.label) tp++;
      else fp++;
    }
    const fn = positives - tp;
    const tn = negatives - fp;
    const precision = tp + fp === 0 ? null : tp / (tp + fp);
    const recall = positives === 0 ? null : tp / positives;
    const f1 =
      recall === null ? null : precision === null || precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { threshold, tp, fp, fn, tn, precision, recall, f1 };
  });
}

export interface Recommendation {
  /** Highest F1; ties go to the higher precision, then to the higher threshold (fewer, surer products). */
  bestF1: SweepRow | null;
  /** Lowest threshold (most recall) whose precision reaches minPrecision, when one was asked for. */
  atMinPrecision: SweepRow | null;
  minPrecision: number | null;
}

const EPS = 1e-12;

export function recommend(rows: readonly SweepRow[], minPrecision?: number): Recommendation {
  let best: SweepRow | null = null;
  for (const r of rows) {
    if (r.f1 === null) continue;
    if (
      !best ||
      r.f1 > best.f1! + EPS ||
      (Math.abs(r.f1 - best.f1!) <= EPS &&
        ((r.precision ?? -1) > (best.precision ?? -1) + EPS ||
          (Math.abs((r.precision ?? -1) - (best.precision ?? -1)) <= EPS && r.threshold > best.threshold)))
    ) {
      best = r;
    }
  }
  let atMin: SweepRow | null = null;
  if (minPrecision !== undefined) {
    for (const r of rows) {
      if (r.precision !== null && r.precision >= minPrecision - EPS && (!atMin || r.threshold < atMin.threshold)) atMin = r;
    }
  }
  return { bestF1: best, atMinPrecision: atMin, minPrecision: minPrecision ?? null };
}

export interface HistogramBin {
  from: number;
  to: number;
  positives: number;
  negatives: number;
}

/** Scores of positives and negatives in bins of `width`, from the lowest score's bin up to 1. */
export function scoreHistogram(items: readonly ScoredLabel[], width = 0.05): HistogramBin[] {
  if (items.length === 0) return [];
  const scale = Math.round(1 / width);
  const lo = Math.floor(Math.min(...items.map((i) => i.score)) * scale);
  const hi = Math.max(lo + 1, Math.ceil(Math.max(1, ...items.map((i) => i.score)) * scale));
  const bins: HistogramBin[] = [];
  for (let b = lo; b < hi; b++) bins.push({ from: b / scale, to: (b + 1) / scale, positives: 0, negatives: 0 });
  for (const i of items) {
    const b = Math.min(bins.length - 1, Math.floor(i.score * scale) - lo);
    if (i.label) bins[b].positives++;
    else bins[b].negatives++;
  }
  return bins;
}

export interface ProductsPerStepRow {
  threshold: number;
  mean: number;
  median: number;
  p90: number;
  /** Share of steps with at least one product at or above the threshold. */
  coverage: number;
}

/**
 * How many products each step would get at each threshold, from each step's best scores (one
 * list per step, e.g. its top 50 from the store; counts are capped at that list's length).
 */
export function productsPerStep(stepScores: readonly (readonly number[])[], thresholds: readonly number[]): ProductsPerStepRow[] {
  return thresholds.map((threshold) => {
    const counts = stepScores.map((scores) => scores.filter((s) => s >= threshold).length).sort((a, b) => a - b);
    const n = counts.length;
    return {
      threshold,
      mean: n ? counts.reduce((a, b) => a + b, 0) / n : 0,
      median: n ? quantile(counts, 0.5) : 0,
      p90: n ? quantile(counts, 0.9) : 0,
      coverage: n ? counts.filter((c) => c > 0).length / n : 0,
    };
  });
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
