import { join } from 'node:path';
import type { Aggregation } from '../../align/scoring/aggregate.js';
import { thresholdable, type Scoring } from '../../align/scoring/scoring.js';
import type { VoteSummary } from '../../annotation/vote-summary.js';
import type { CalibrationResult } from '../../calibration/report-md.js';
import { sweepGrid } from '../../calibration/sweep-grid.js';
import type { Embedder } from '../../core/embedder.js';
import type { VectorStore } from '../../core/vector-store.js';
import type { ProgressSink } from '../../util/progress.js';
import { sweptScorings, type AggregateChoice } from './aggregate-choice.js';
import { groupByStep, type LabelledPairs } from './labelled-pairs.js';
import { scoreLabels } from './score-labels.js';
import { sweepScores } from './sweep-scores.js';
import { aggregationDir, writeAggregationsReport, writeReport } from './write-report.js';

export interface CalibrateOptions extends ProgressSink {
  outDir: string;
  minPrecision?: number;
  /** Products per step counted for the products-per-step curve (the store search's k). */
  perStepK: number;
  /** How pairs are scored, as `align` takes it (default: max, semantic); never rank fusion. Its aggregate is `aggregate`'s. */
  scoring?: Partial<Omit<Scoring, 'aggregate'>>;
  /** One aggregation (default max), or `all`: each swept into its own folder, with a summary table. */
  aggregate?: AggregateChoice;
  /** The threshold a scoring gets today when a request names none, reported beside the recommendation. */
  currentThreshold?: (scoring: Scoring) => number | null;
  /** PATH used to look for a PNG renderer (the CLI passes the environment's, tests an empty one). */
  pathEnv: string;
}

/** The recommendation of one scoring. */
export interface CalibrationOutcome {
  recommendedThreshold: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  atMinPrecision: { minPrecision: number; threshold: number | null } | null;
}

export interface CalibrateSummary extends CalibrationOutcome {
  outDir: string;
  labels: number;
  skipped: number;
  /** Items, votes each and agreement, when the labels come from `annotate`'s majority vote. */
  votes: VoteSummary | null;
  /** The scoring swept; with every aggregation, the first's (max) and `aggregations` holds each. */
  scoring: Scoring;
  /** With every aggregation: each one's recommendation (the top-level fields are max's). */
  aggregations?: Partial<Record<Aggregation, CalibrationOutcome & { scoring: Scoring; currentThreshold: number | null }>>;
  png: string;
}

/**
 * The `calibrate` use case, in three steps: score every labelled (step, product) pair with the
 * active model under each scoring (score-labels.ts), sweep the threshold over them
 * (sweep-scores.ts; 0.20–0.80 for the default scoring, 0.00–1.00 otherwise) and write report.md,
 * calibration.json and SVG (+ PNG where a renderer exists) plots (write-report.ts). With
 * `aggregate: 'all'` it does that for max, mean and topm, each in its own folder, and writes a
 * summary table of the recommended threshold of each. Pairs whose product is not in the store, or
 * has no intentions, are skipped and listed in the report.
 */
export async function calibrate(
  embedder: Embedder,
  store: VectorStore,
  labelled: LabelledPairs,
  options: CalibrateOptions,
): Promise<CalibrateSummary> {
  const scorings = sweptScorings(options.scoring ?? {}, options.aggregate ?? 'max');
  if (!thresholdable(scorings[0]))
    throw new Error("calibrate sweeps thresholds, and rank fusion (rrf) has none: its score only orders one step's products");
  const grid = sweepGrid(scorings);

  const { labels } = labelled;
  if (labels.length === 0)
    throw new Error(
      `labels file ${labelled.source} holds no labels (expected one {"step", "productId", "label"} object per line, or CSV with step, productId and label columns)`,
    );
  const byStep = groupByStep(labels);
  const scored = await scoreLabels(embedder, store, byStep, scorings, { ...options, lowestThreshold: grid[0] });
  const first = scored[0];
  if (first.items.length === 0) {
    throw new Error(
      `none of the ${labels.length} labelled pairs could be scored (first: line ${first.skipped[0].line}, product ${JSON.stringify(first.skipped[0].productId)}: ${first.skipped[0].reason}); is DATA_DIR the store the labels were made from?`,
    );
  }
  const results = sweepScores(scorings, scored, { ...options, model: embedder.id, labels: labelled, distinctSteps: byStep.size, grid });

  const summary = (png: string): CalibrateSummary => ({
    outDir: options.outDir,
    labels: results[0].labels.used,
    skipped: results[0].labels.skipped.length,
    votes: results[0].labels.votes ?? null,
    ...outcome(results[0], options.minPrecision),
    scoring: results[0].scoring,
    png,
  });
  if (results.length === 1) return summary(writeReport(options.outDir, results[0], options));

  let png = '';
  for (const r of results) png = writeReport(join(options.outDir, aggregationDir(r.scoring.aggregate)), r, options);
  writeAggregationsReport(options.outDir, results, options.minPrecision ?? null);
  return {
    ...summary(png),
    aggregations: Object.fromEntries(
      results.map((r) => [
        r.scoring.aggregate,
        { scoring: r.scoring, currentThreshold: r.currentThreshold, ...outcome(r, options.minPrecision) },
      ]),
    ),
  };
}

function outcome(r: CalibrationResult, minPrecision: number | undefined): CalibrationOutcome {
  const best = r.recommendation.bestF1;
  return {
    recommendedThreshold: best?.threshold ?? null,
    precision: best?.precision ?? null,
    recall: best?.recall ?? null,
    f1: best?.f1 ?? null,
    atMinPrecision: minPrecision === undefined ? null : { minPrecision, threshold: r.recommendation.atMinPrecision?.threshold ?? null },
  };
}
