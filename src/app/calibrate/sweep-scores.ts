import type { Scoring } from '../../align/scoring/scoring.js';
import { voteSummary } from '../../annotation/vote-summary.js';
import { productsPerStep, recommend, scoreHistogram, sweep } from '../../calibration/calibration.js';
import type { CalibrationResult } from '../../calibration/report-md.js';
import type { LabelledPairs } from './labelled-pairs.js';
import type { ScoredPairs } from './score-labels.js';

export interface SweepContext {
  model: string;
  labels: LabelledPairs;
  distinctSteps: number;
  grid: readonly number[];
  minPrecision?: number;
  perStepK: number;
  /** The threshold a scoring gets today when a request names none, reported beside the recommendation. */
  currentThreshold?: (scoring: Scoring) => number | null;
}

/** The sweep step of calibration: each scoring's scored pairs swept over the grid, with its recommendation. No I/O. */
export function sweepScores(scorings: readonly Scoring[], scored: readonly ScoredPairs[], context: SweepContext): CalibrationResult[] {
  const { labels, grid } = context;
  const votes = voteSummary(labels.labels);
  return scorings.map((scoring, si): CalibrationResult => {
    const { items, skipped, stepScores } = scored[si];
    const rows = sweep(items, grid);
    return {
      model: context.model,
      scoring,
      currentThreshold: context.currentThreshold?.(scoring) ?? null,
      labels: {
        lines: labels.lines,
        used: items.length,
        positives: items.filter((i) => i.label).length,
        negatives: items.filter((i) => !i.label).length,
        distinctSteps: context.distinctSteps,
        skipped,
        unlabelled: labels.unlabelled,
        votes,
      },
      sweep: rows,
      recommendation: recommend(rows, context.minPrecision),
      histogram: scoreHistogram(items),
      productsPerStep: productsPerStep(stepScores, grid),
      productsPerStepCap: context.perStepK,
    };
  });
}
