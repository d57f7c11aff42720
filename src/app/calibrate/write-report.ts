import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Aggregation } from '../../align/scoring/aggregate.js';
import { aggregationsReport, calibrationReport, describeScore, type CalibrationResult } from '../../calibration/report-md.js';
import { histogramChart, lineChart } from '../../calibration/svg-plots.js';
import { renderPngs } from './png-renderer.js';

export interface ReportOptions {
  /** Products per step counted for the products-per-step curve (named on its axis). */
  perStepK: number;
  /** PATH used to look for a PNG renderer. */
  pathEnv: string;
}

/** One plot of a report: its file, and its title, which both the chart and the report's link show. */
interface Plot {
  file: string;
  title: string;
  draw: (title: string) => string;
}

/** The report step of calibration: one scoring's report.md, calibration.json and plots into `dir`; returns what became of the PNGs. */
export function writeReport(dir: string, result: CalibrationResult, options: ReportOptions): string {
  mkdirSync(dir, { recursive: true });
  const plots = reportPlots(result, options.perStepK);
  for (const p of plots) writeFileSync(join(dir, p.file), p.draw(p.title));
  const png = renderPngs(
    plots.map((p) => join(dir, p.file)),
    options.pathEnv,
  );
  const linked = plots.map((p, i) => ({ title: p.title, svg: p.file, png: png.pngs[i] ? basename(png.pngs[i]) : undefined }));
  writeFileSync(join(dir, 'report.md'), calibrationReport(result, linked, png.note));
  writeFileSync(join(dir, 'calibration.json'), `${JSON.stringify(result, null, 2)}\n`);
  return png.note;
}

/**
 * With several aggregations swept: each one's report in a folder named after it (written by the
 * caller with writeReport), and here the table of their recommendations and its JSON.
 */
export function writeAggregationsReport(outDir: string, results: readonly CalibrationResult[], minPrecision: number | null): void {
  const { model } = results[0];
  const { used, positives, negatives, distinctSteps, lines } = results[0].labels;
  const labels = { lines, used, positives, negatives, distinctSteps };
  const outcomes = results.map((r) => ({
    aggregate: r.scoring.aggregate,
    scoring: r.scoring,
    recommendation: r.recommendation,
    currentThreshold: r.currentThreshold,
    dir: aggregationDir(r.scoring.aggregate),
  }));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.md'), aggregationsReport(model, labels, outcomes, minPrecision));
  writeFileSync(join(outDir, 'calibration.json'), `${JSON.stringify({ model, labels, aggregations: outcomes }, null, 2)}\n`);
}

/** The folder of one aggregation's report inside a sweep of every aggregation. */
export function aggregationDir(aggregate: Aggregation): string {
  return aggregate;
}

function reportPlots(result: CalibrationResult, perStepK: number): Plot[] {
  const rows = result.sweep;
  const best = result.recommendation.bestF1;
  const marker = best ? { x: best.threshold, label: `recommended ${best.threshold.toFixed(2)}` } : undefined;
  return [
    {
      file: 'precision-recall.svg',
      title: 'Precision, recall and F1 against threshold',
      draw: (title) =>
        lineChart({
          title,
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
      draw: (title) =>
        histogramChart({
          title,
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
      draw: (title) =>
        lineChart({
          title,
          xLabel: 'threshold',
          yLabel: `products per labelled step (of the top ${perStepK})`,
          marker,
          series: [
            { name: 'mean', points: result.productsPerStep.map((p) => [p.threshold, p.mean] as const) },
            { name: 'median', points: result.productsPerStep.map((p) => [p.threshold, p.median] as const) },
            { name: '90th percentile', points: result.productsPerStep.map((p) => [p.threshold, p.p90] as const) },
          ],
        }),
    },
  ];
}
