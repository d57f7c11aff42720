import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { productsPerStep, recommend, scoreHistogram, sweep, thresholdGrid, type ScoredLabel } from '../calibration/calibration.js';
import { exactScores } from '../evalset/exact-scores.js';
import {
  aggregationsReport,
  calibrationReport,
  describeScore,
  type CalibrationResult,
  type SkippedLabel,
} from '../calibration/report-md.js';
import { histogramChart, lineChart } from '../calibration/svg-plots.js';
import { voteSummary, type VoteSummary } from '../annotation/vote-summary.js';
import type { Embedder } from '../core/embedder.js';
import type { VectorStore } from '../core/vector-store.js';
import { AGGREGATIONS, type Aggregation } from '../align/scoring/aggregate.js';
import { Retriever } from '../align/scoring/retriever.js';
import { completeScoring, DEFAULT_SCORING, thresholdable, type Scoring } from '../align/scoring/scoring.js';
import { alignOptionsShape, scoringOf } from '../align/script-schema.js';
import { defineCommand } from './command.js';
import { rankFusionProblem, scoringOptions, scoringProblems, storeOptions } from './common-options.js';
import { readLabelFile, type LabelLine } from './label-file.js';
import { choice, existing, numeric, text } from './options.js';
import { renderPngs } from './png-renderer.js';
import { Progress } from '../util/progress.js';
import { printSummary } from './with-services.js';

export interface CalibrateOptions {
  labels: string;
  outDir: string;
  minPrecision?: number;
  /** Products per step counted for the products-per-step curve (the store search's k). */
  perStepK: number;
  /** How pairs are scored, as `align` takes it (default: max, semantic); never rank fusion. */
  scoring?: Partial<Scoring>;
  /** Sweep every aggregation (max, mean, topm) under the scoring's retrieval, each into its own folder. */
  everyAggregation?: boolean;
  /** The threshold a scoring gets today when a request names none, reported beside the recommendation. */
  currentThreshold?: (scoring: Scoring) => number | null;
  stderr: NodeJS.WritableStream;
  /** PATH used to look for a PNG renderer (tests pass an empty one). */
  pathEnv?: string;
  plainIntervalMs?: number;
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
 * The thresholds swept. The default scoring (cosine of the best intention) keeps the range it has
 * always had; every other one (means lie below maxima, saturated BM25 and weighted fusion in
 * [0, 1)) and a sweep of every aggregation use all of [0, 1].
 */
const DEFAULT_GRID = thresholdGrid(0.2, 0.8, 0.01);
const FULL_GRID = thresholdGrid(0, 1, 0.01);

/** The labelled pairs as one scoring scores them. */
interface Scored {
  items: ScoredLabel[];
  skipped: SkippedLabel[];
  /** Each labelled step's best scores (up to perStepK, at or above the grid's lowest threshold). */
  stepScores: number[][];
}

/**
 * `ecomalign calibrate`: scores every labelled (step, product) pair with the active model under
 * the scoring (by default the product's best-matching intention, as alignment does), exactly,
 * through the aligner's own retrieval and re-scoring (exact-scores.ts), sweeps the threshold
 * (0.20–0.80 by default, 0.00–1.00 under any other scoring) and writes report.md,
 * calibration.json and SVG (+ PNG where a renderer exists) plots. With `everyAggregation` it does
 * that for max, mean and topm, each in its own folder, and writes a summary table of the
 * recommended threshold of each. Pairs whose product is not in the store, or has no intentions,
 * are skipped and listed in the report.
 */
export async function calibrate(embedder: Embedder, store: VectorStore, options: CalibrateOptions): Promise<CalibrateSummary> {
  const base = completeScoring(options.scoring ?? {});
  if (!thresholdable(base))
    throw new Error("calibrate sweeps thresholds, and rank fusion (rrf) has none: its score only orders one step's products");
  const scorings = options.everyAggregation
    ? AGGREGATIONS.map((aggregate) => completeScoring({ ...base, aggregate, m: aggregate === 'topm' ? options.scoring?.m : undefined }))
    : [base];
  const grid = !options.everyAggregation && JSON.stringify(base) === JSON.stringify(DEFAULT_SCORING) ? DEFAULT_GRID : FULL_GRID;

  const { labels, lines, unlabelled } = await readLabelFile(options.labels);
  if (labels.length === 0)
    throw new Error(
      `labels file ${options.labels} holds no labels (expected one {"step", "productId", "label"} object per line, or CSV with step, productId and label columns)`,
    );

  const byStep = new Map<string, LabelLine[]>();
  for (const l of labels) byStep.set(l.step, [...(byStep.get(l.step) ?? []), l]);
  const steps = [...byStep.keys()];
  const progress = new Progress({
    label: 'calibrate',
    total: steps.length,
    itemName: 'steps',
    stream: options.stderr,
    plainIntervalMs: options.plainIntervalMs,
  });
  const retriever = new Retriever(store);
  const scored: Scored[] = scorings.map(() => ({ items: [], skipped: [], stepScores: [] }));
  const exists = new Map<string, boolean>();
  const reason = async (productId: string) => {
    if (!exists.has(productId)) exists.set(productId, (await store.get(productId)) !== undefined);
    return exists.get(productId) ? 'the product has no intentions to score' : 'no such product in the store';
  };
  try {
    for (let i = 0; i < steps.length; i += 256) {
      const chunk = steps.slice(i, i + 256);
      // Lexical retrieval reads no vector of the step: it is not embedded.
      const vectors = scorings.every((s) => s.retrieval === 'lexical') ? undefined : await embedder.embed(chunk);
      for (const [si, scoring] of scorings.entries()) {
        const out = scored[si];
        const top = await retriever.retrieve(chunk, vectors, { k: options.perStepK, threshold: grid[0], match: 'intentions', scoring });
        out.stepScores.push(...top.map((matches) => matches.map((m) => m.score)));
        for (let j = 0; j < chunk.length; j++) {
          const pairs = byStep.get(chunk[j])!;
          const ids = [...new Set(pairs.map((p) => p.productId))];
          const scores = await exactScores(store, { text: chunk[j], vector: vectors?.[j] }, ids, scoring);
          for (const p of pairs) {
            const score = scores.get(p.productId)?.score;
            if (score !== undefined) out.items.push({ score, label: p.label });
            else out.skipped.push({ line: p.line, productId: p.productId, reason: await reason(p.productId) });
          }
        }
      }
      progress.update(chunk.length, chunk.length);
    }
  } finally {
    progress.finish();
  }
  const first = scored[0];
  for (const s of scored) s.skipped.sort((a, b) => a.line - b.line);
  if (first.items.length === 0) {
    throw new Error(
      `none of the ${labels.length} labelled pairs could be scored (first: line ${first.skipped[0].line}, product ${JSON.stringify(first.skipped[0].productId)}: ${first.skipped[0].reason}); is DATA_DIR the store the labels were made from?`,
    );
  }

  const results = scorings.map((scoring, si): CalibrationResult => {
    const { items, skipped, stepScores } = scored[si];
    const rows = sweep(items, grid);
    return {
      model: embedder.id,
      scoring,
      currentThreshold: options.currentThreshold?.(scoring) ?? null,
      labels: {
        lines,
        used: items.length,
        positives: items.filter((i) => i.label).length,
        negatives: items.filter((i) => !i.label).length,
        distinctSteps: steps.length,
        skipped,
        unlabelled,
        votes: voteSummary(labels),
      },
      sweep: rows,
      recommendation: recommend(rows, options.minPrecision),
      histogram: scoreHistogram(items),
      productsPerStep: productsPerStep(stepScores, grid),
      productsPerStepCap: options.perStepK,
    };
  });

  const outcome = (r: CalibrationResult): CalibrationOutcome => {
    const best = r.recommendation.bestF1;
    return {
      recommendedThreshold: best?.threshold ?? null,
      precision: best?.precision ?? null,
      recall: best?.recall ?? null,
      f1: best?.f1 ?? null,
      atMinPrecision:
        options.minPrecision === undefined
          ? null
          : { minPrecision: options.minPrecision, threshold: r.recommendation.atMinPrecision?.threshold ?? null },
    };
  };
  const summary = (png: string): CalibrateSummary => ({
    outDir: options.outDir,
    labels: results[0].labels.used,
    skipped: results[0].labels.skipped.length,
    votes: results[0].labels.votes ?? null,
    ...outcome(results[0]),
    scoring: results[0].scoring,
    png,
  });

  if (!options.everyAggregation) return summary(writeReport(options.outDir, results[0], options));

  mkdirSync(options.outDir, { recursive: true });
  let png = '';
  for (const r of results) png = writeReport(join(options.outDir, r.scoring.aggregate), r, options);
  const outcomes = results.map((r) => ({
    aggregate: r.scoring.aggregate,
    scoring: r.scoring,
    recommendation: r.recommendation,
    currentThreshold: r.currentThreshold,
    dir: r.scoring.aggregate,
  }));
  const { used, positives, negatives, distinctSteps } = results[0].labels;
  writeFileSync(
    join(options.outDir, 'report.md'),
    aggregationsReport(embedder.id, { used, positives, negatives, distinctSteps, lines }, outcomes, options.minPrecision ?? null),
  );
  writeFileSync(
    join(options.outDir, 'calibration.json'),
    `${JSON.stringify({ model: embedder.id, labels: { lines, used, positives, negatives, distinctSteps }, aggregations: outcomes }, null, 2)}\n`,
  );
  return {
    ...summary(png),
    aggregations: Object.fromEntries(
      results.map((r) => [r.scoring.aggregate, { scoring: r.scoring, currentThreshold: r.currentThreshold, ...outcome(r) }]),
    ),
  };
}

/** One scoring's report.md, calibration.json and plots into `dir`; returns what became of the PNGs. */
function writeReport(dir: string, result: CalibrationResult, options: CalibrateOptions): string {
  const rows = result.sweep;
  mkdirSync(dir, { recursive: true });
  const best = result.recommendation.bestF1;
  const marker = best ? { x: best.threshold, label: `recommended ${best.threshold.toFixed(2)}` } : undefined;
  const plots = [
    {
      file: 'precision-recall.svg',
      title: 'Precision, recall and F1 against threshold',
      svg: lineChart({
        title: 'Precision, recall and F1 against threshold',
        xLabel: 'threshold',
        yLabel: 'value',
        yMax: 1,
        marker,
        series: [
          { name: 'precision', points: rows.map((r) => [r.threshold, r.precision] as const) },
          { name: 'recall', points: rows.map((r) => [r.threshold, r.recall] as const) },
          { name: 'F1', points: rows.map((r) => [r.threshold, r.f1] as const) },
        ],
      }),
    },
    {
      file: 'score-histogram.svg',
      title: 'Scores of pairs labelled useful and not useful',
      svg: histogramChart({
        title: 'Scores of pairs labelled useful and not useful',
        xLabel: `score (${describeScore(result.scoring)})`,
        yLabel: 'pairs',
        bins: result.histogram,
        series: [
          { name: 'useful (1)', counts: result.histogram.map((b) => b.positives) },
          { name: 'not useful (0)', counts: result.histogram.map((b) => b.negatives) },
        ],
      }),
    },
    {
      file: 'products-per-step.svg',
      title: 'Products per step against threshold',
      svg: lineChart({
        title: 'Products per step against threshold',
        xLabel: 'threshold',
        yLabel: `products per labelled step (of the top ${options.perStepK})`,
        marker,
        series: [
          { name: 'mean', points: result.productsPerStep.map((p) => [p.threshold, p.mean] as const) },
          { name: 'median', points: result.productsPerStep.map((p) => [p.threshold, p.median] as const) },
          { name: '90th percentile', points: result.productsPerStep.map((p) => [p.threshold, p.p90] as const) },
        ],
      }),
    },
  ];
  for (const p of plots) writeFileSync(join(dir, p.file), p.svg);
  const png = renderPngs(
    plots.map((p) => join(dir, p.file)),
    options.pathEnv,
  );
  const reportPlots = plots.map((p, i) => ({ title: p.title, svg: p.file, png: png.pngs[i] ? basename(png.pngs[i]) : undefined }));
  writeFileSync(join(dir, 'report.md'), calibrationReport(result, reportPlots, png.note));
  writeFileSync(join(dir, 'calibration.json'), `${JSON.stringify(result, null, 2)}\n`);
  return png.note;
}

export const calibrateCommand = defineCommand({
  name: 'calibrate',
  summary: 'threshold sweep report from labelled pairs (JSONL or CSV)',
  options: {
    labels: existing('labelled pairs: JSONL, or CSV with step, productId and label columns', 'LABELS.jsonl'),
    out: text('directory the report and its plots are written to', 'DIR', 'calibration'),
    'min-precision': numeric('also report the lowest threshold that reaches this precision', z.number().min(0).max(1).optional(), 'P'),
    k: numeric('products per step counted for the products-per-step curve', alignOptionsShape.k.unwrap().default(50)),
    ...scoringOptions,
    aggregate: choice(
      "how a product's intentions make its score: its best one, the mean of all, the mean of its m best, or all three swept side by side (one folder each)",
      z.enum([...AGGREGATIONS, 'all']).default('max'),
      'HOW',
    ),
    m: numeric('the m of --aggregate topm (default 3); only with topm or all', alignOptionsShape.m, 'M'),
    ...storeOptions,
  },
  refine: (o) => [
    ...scoringProblems({ ...o, aggregate: o.aggregate === 'all' ? 'topm' : o.aggregate }),
    ...rankFusionProblem(o, 'calibrate sweeps thresholds: there is none to calibrate'),
  ],
  run: (o, context) =>
    printSummary(context, (services) =>
      calibrate(services.embedder, services.store, {
        labels: o.labels,
        outDir: o.out,
        minPrecision: o['min-precision'],
        perStepK: o.k,
        scoring: scoringOf({ ...o, aggregate: o.aggregate === 'all' ? 'max' : o.aggregate }),
        everyAggregation: o.aggregate === 'all',
        currentThreshold: (scoring) => services.aligner.thresholdFor(scoring),
        stderr: context.stderr,
      }),
    ),
});
