import { AGGREGATIONS, type Aggregation } from '../../align/scoring/aggregate.js';
import { completeScoring, type Scoring } from '../../align/scoring/scoring.js';

/** What `calibrate` takes as its aggregation: one of them, or `all` to sweep each side by side. */
export type AggregateChoice = Aggregation | 'all';

/**
 * The aggregations a calibration sweeps, in the order reported. `all` is every aggregation, max
 * first: max is the default scoring's, so its recommendation heads the summary, and topm is among
 * them, so an `m` applies to it. This is the one place that says what `all` means: the option
 * check (is `m` allowed?) and the run both read it, instead of standing in `topm` for one and
 * `max` for the other.
 */
export function sweptAggregations(choice: AggregateChoice): readonly Aggregation[] {
  return choice === 'all' ? AGGREGATIONS : [choice];
}

/**
 * The scorings a calibration sweeps: the given retrieval (and m, alpha, fusion) under each swept
 * aggregation; completeScoring keeps `m` for topm only.
 */
export function sweptScorings(scoring: Partial<Omit<Scoring, 'aggregate'>>, choice: AggregateChoice): Scoring[] {
  return sweptAggregations(choice).map((aggregate) => completeScoring({ ...scoring, aggregate }));
}
