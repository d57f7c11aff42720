import { DEFAULT_SCORING, type Scoring } from '../align/scoring/scoring.js';
import { thresholdGrid } from './calibration.js';

/**
 * The thresholds swept. The default scoring (cosine of the best intention) keeps the range it has
 * always had; every other one (means lie below maxima, saturated BM25 and weighted fusion in
 * [0, 1)) and a sweep of several scorings side by side use all of [0, 1].
 */
export const DEFAULT_GRID: readonly number[] = thresholdGrid(0.2, 0.8, 0.01);
export const FULL_GRID: readonly number[] = thresholdGrid(0, 1, 0.01);

export function sweepGrid(scorings: readonly Scoring[]): readonly number[] {
  return scorings.length === 1 && sameScoring(scorings[0], DEFAULT_SCORING) ? DEFAULT_GRID : FULL_GRID;
}

/**
 * Field by field: two scorings built with their keys in another order are the same scoring (a
 * comparison of their JSON text said they were not). A field added to Scoring belongs here too.
 */
export function sameScoring(a: Scoring, b: Scoring): boolean {
  return a.aggregate === b.aggregate && a.m === b.m && a.retrieval === b.retrieval && a.fusion === b.fusion && a.alpha === b.alpha;
}
