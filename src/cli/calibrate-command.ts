import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { productsPerStep, recommend, scoreHistogram, sweep, thresholdGrid, type ScoredLabel } from '../benchmark/calibration.js';
import { calibrationReport, type CalibrationResult, type SkippedLabel } from '../benchmark/report-md.js';
import { histogramChart, lineChart } from '../benchmark/svg-plots.js';
import { voteSummary, type VoteSummary } from '../benchmark/vote-summary.js';
import type { Embedder } from '../core/embedder.js';
import type { VectorStore } from '../core/vector-store.js';
import { alignOptionsShape } from '../align/script-schema.js';
import { defineCommand } from './command.js';
import { storeOptions } from './common-options.js';
import { readLabelFile, type LabelLine } from './label-file.js';
import { existing, numeric, text } from './options.js';
import { renderPngs } from './png-renderer.js';
import { Progress } from './progress.js';
import { printSummary } from './with-services.js';

export interface CalibrateOptions {
  labels: string;
  outDir: string;
  minPrecision?: number;
  /** Products per step counted for the products-per-step curve (the store search's k). */
  perStepK: number;
  stderr: NodeJS.WritableStream;
  /** PATH used to look for a PNG renderer (tests pass an empty one). */
  pathEnv?: string;
  plainIntervalMs?: number;
}

export interface CalibrateSummary {
  outDir: string;
  labels: number;
  skipped: number;
  /** Items, votes each and agreement, when the labels come from `annotate`'s majority vote. */
  votes: VoteSummary | null;
  recommendedThreshold: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  atMinPrecision: { minPrecision: number; threshold: number | null } | null;
  png: string;
}

const GRID = thresholdGrid(0.2, 0.8, 0.01);

/**
 * `ecomalign calibrate`: scores every labelled (step, product) pair with the active model (the
 * product's best-matching intention, as alignment does), sweeps the threshold over 0.20–0.80 and
 * writes report.md, calibration.json and SVG (+ PNG where a renderer exists) plots. Pairs whose
 * product is not in the store, or has no intentions, are skipped and listed in the report.
 */
export async function calibrate(embedder: Embedder, store: VectorStore, options: CalibrateOptions): Promise<CalibrateSummary> {
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
  const items: ScoredLabel[] = [];
  const skipped: SkippedLabel[] = [];
  const stepScores: number[][] = [];
  try {
    for (let i = 0; i < steps.length; i += 256) {
      const chunk = steps.slice(i, i + 256);
      const vectors = await embedder.embed(chunk);
      const top = await store.search(vectors, { k: options.perStepK, threshold: GRID[0], match: 'intentions' });
      stepScores.push(...top.map((matches) => matches.map((m) => m.score)));
      for (let j = 0; j < chunk.length; j++) {
        const pairs = byStep.get(chunk[j])!;
        const ids = [...new Set(pairs.map((p) => p.productId))];
        const scores = new Map<string, number>();
        for (let c = 0; c < ids.length; c += 1000) {
          const part = ids.slice(c, c + 1000);
          const [matches] = await store.search([vectors[j]], {
            k: part.length,
            threshold: -1,
            match: 'intentions',
            filter: { productIds: part },
          });
          for (const m of matches) scores.set(m.productId, m.score);
        }
        for (const p of pairs) {
          const score = scores.get(p.productId);
          if (score !== undefined) items.push({ score, label: p.label });
          else
            skipped.push({
              line: p.line,
              productId: p.productId,
              reason: (await store.get(p.productId)) ? 'the product has no intentions to score' : 'no such product in the store',
            });
        }
      }
      progress.update(chunk.length, chunk.length);
    }
  } finally {
    progress.finish();
  }
  skipped.sort((a, b) => a.line - b.line);
  if (items.length === 0) {
    throw new Error(
      `none of the ${labels.length} labelled pairs could be scored (first: line ${skipped[0].line}, product ${JSON.stringify(skipped[0].productId)}: ${skipped[0].reason}); is DATA_DIR the store the labels were made from?`,
    );
  }

  const rows = sweep(items, GRID);
  const result: CalibrationResult = {
    model: embedder.id,
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
    productsPerStep: productsPerStep(stepScores, GRID),
    productsPerStepCap: options.perStepK,
  };

  mkdirSync(options.outDir, { recursive: true });
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
        xLabel: 'score (cosine of the best-matching intention)',
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
  for (const p of plots) writeFileSync(join(options.outDir, p.file), p.svg);
  const png = renderPngs(
    plots.map((p) => join(options.outDir, p.file)),
    options.pathEnv,
  );
  const reportPlots = plots.map((p, i) => ({ title: p.title, svg: p.file, png: png.pngs[i] ? basename(png.pngs[i]) : undefined }));
  writeFileSync(join(options.outDir, 'report.md'), calibrationReport(result, reportPlots, png.note));
  writeFileSync(join(options.outDir, 'calibration.json'), `${JSON.stringify(result, null, 2)}\n`);
  return {
    outDir: options.outDir,
    labels: items.length,
    skipped: skipped.length,
    votes: result.labels.votes ?? null,
    recommendedThreshold: best?.threshold ?? null,
    precision: best?.precision ?? null,
    recall: best?.recall ?? null,
    f1: best?.f1 ?? null,
    atMinPrecision:
      options.minPrecision === undefined
        ? null
        : { minPrecision: options.minPrecision, threshold: result.recommendation.atMinPrecision?.threshold ?? null },
    png: png.note,
  };
}

export const calibrateCommand = defineCommand({
  name: 'calibrate',
  summary: 'threshold sweep report from labelled pairs (JSONL or CSV)',
  options: {
    labels: existing('labelled pairs: JSONL, or CSV with step, productId and label columns', 'LABELS.jsonl'),
    out: text('directory the report and its plots are written to', 'DIR', 'calibration'),
    'min-precision': numeric('also report the lowest threshold that reaches this precision', z.number().min(0).max(1).optional(), 'P'),
    k: numeric('products per step counted for the products-per-step curve', alignOptionsShape.k.unwrap().default(50)),
    ...storeOptions,
  },
  run: (o, context) =>
    printSummary(context, (services) =>
      calibrate(services.embedder, services.store, {
        labels: o.labels,
        outDir: o.out,
        minPrecision: o['min-precision'],
        perStepK: o.k,
        stderr: context.stderr,
      }),
    ),
});
