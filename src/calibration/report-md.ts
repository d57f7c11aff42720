import type { Aggregation } from '../align/scoring/aggregate.js';
import { DEFAULT_ALPHA, DEFAULT_M, type Scoring } from '../align/scoring/scoring.js';
import type { HistogramBin, ProductsPerStepRow, Recommendation, SweepRow } from './calibration.js';
import type { VoteSummary } from '../annotation/vote-summary.js';

export interface CalibrationResult {
  model: string;
  /** How every pair and every step's products were scored. */
  scoring: Scoring;
  /** The threshold this scoring gets today when a request names none (null when unknown). */
  currentThreshold: number | null;
  labels: {
    lines: number;
    used: number;
    positives: number;
    negatives: number;
    distinctSteps: number;
    skipped: SkippedLabel[];
    /** CSV rows left out because their label was empty or a tie. */
    unlabelled?: number;
    /** How the labels were voted, when they come from `annotate`'s export. */
    votes?: VoteSummary | null;
  };
  sweep: SweepRow[];
  recommendation: Recommendation;
  histogram: HistogramBin[];
  productsPerStep: ProductsPerStepRow[];
  /** Largest number of products counted per step (the store search's k). */
  productsPerStepCap: number;
}

export interface SkippedLabel {
  line: number;
  productId: string;
  reason: string;
}

export interface ReportPlot {
  title: string;
  svg: string;
  png?: string;
}

/** What a score is under a scoring, in words: "cosine of the best-matching intention". */
export function describeScore(s: Scoring): string {
  const alpha = s.alpha ?? DEFAULT_ALPHA;
  const measure =
    s.retrieval === 'semantic'
      ? 'cosine'
      : s.retrieval === 'lexical'
        ? 'saturated BM25'
        : s.fusion === 'rrf'
          ? 'reciprocal-rank fusion of cosine and BM25 ranks'
          : `${round(alpha)}·cosine + ${round(1 - alpha)}·saturated BM25`;
  const over =
    s.aggregate === 'max'
      ? 'of the best-matching intention'
      : s.aggregate === 'mean'
        ? 'averaged over all intentions'
        : `averaged over the ${s.m ?? DEFAULT_M} best intentions`;
  return `${measure} ${over}`;
}

/** The scoring as options: "aggregate topm, m 3, retrieval hybrid, fusion weighted, alpha 0.5". */
export function scoringWords(s: Scoring): string {
  return Object.entries(s)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null, d = 3) => (v === null ? '–' : v.toFixed(d));

/** Where the labels came from: items, votes each and agreement (for labels from `annotate`). */
function annotationLines(r: CalibrationResult): string[] {
  const out: string[] = [];
  const v = r.labels.votes;
  if (v) {
    const votes =
      v.votes.min === v.votes.max ? `${v.votes.min} votes each` : `${v.votes.min}–${v.votes.max} votes each (median ${v.votes.median})`;
    out.push(
      '',
      `Labels are majority votes of human annotators: ${v.items} items, ${votes}; on average ${pct(v.meanAgreement)} of an item's votes agree with its label; Fleiss' κ over these items ${num(v.fleissKappa, 2)}. ` +
        "Ties are not in a JSONL export, so this is agreement among the items kept; the annotate server's `GET /api/agreement` measures it over every labelled item.",
    );
  }
  if (r.labels.unlabelled)
    out.push('', `${r.labels.unlabelled} row(s) without a label (empty, or a tie between annotators) were left out.`);
  return out;
}

/** The calibration report as markdown; plots are linked by file name (SVG, and PNG where rendered). */
export function calibrationReport(r: CalibrationResult, plots: readonly ReportPlot[], pngNote: string): string {
  const best = r.recommendation.bestF1;
  const lines = [
    '# Threshold calibration',
    '',
    `Model \`${r.model}\`. ${r.labels.used} labelled step–product pairs used (${r.labels.positives} useful, ${r.labels.negatives} not useful) over ${r.labels.distinctSteps} distinct steps, from ${r.labels.lines} label lines.`,
    '',
    `Scoring: ${scoringWords(r.scoring)}; a pair's score is the ${describeScore(r.scoring)}.${r.currentThreshold === null ? '' : ` Its threshold today: ${r.currentThreshold.toFixed(2)}.`}`,
    ...annotationLines(r),
    '',
    '## Recommendation',
    '',
    best
      ? `**Threshold ${best.threshold.toFixed(2)}**: highest F1 (${num(best.f1)}) with precision ${pct(best.precision)} and recall ${pct(best.recall)}. Ties in F1 go to the higher precision, then the higher threshold.`
      : 'No recommendation: no pair is labelled useful, so recall and F1 are undefined.',
  ];
  if (r.recommendation.minPrecision !== null) {
    const m = r.recommendation.atMinPrecision;
    lines.push(
      '',
      m
        ? `Lowest threshold with precision ≥ ${pct(r.recommendation.minPrecision)}: **${m.threshold.toFixed(2)}** (precision ${pct(m.precision)}, recall ${pct(m.recall)}, F1 ${num(m.f1)}).`
        : `No threshold in the sweep reaches precision ≥ ${pct(r.recommendation.minPrecision)}.`,
    );
  }
  const perStep = (t: number) => r.productsPerStep.find((p) => Math.abs(p.threshold - t) < 1e-9);
  if (best && perStep(best.threshold)) {
    const p = perStep(best.threshold)!;
    lines.push(
      '',
      `At ${best.threshold.toFixed(2)} a labelled step gets ${p.mean.toFixed(2)} products on average (median ${p.median}, 90th percentile ${p.p90}, counting up to ${r.productsPerStepCap}); ${pct(p.coverage)} of steps get at least one.`,
    );
  }
  lines.push('', '## Plots', '');
  for (const p of plots)
    lines.push(`![${p.title}](${p.png ?? p.svg})`, '', `${p.title}: [SVG](${p.svg})${p.png ? `, [PNG](${p.png})` : ''}`, '');
  lines.push(pngNote, '');
  lines.push(
    '## Sweep',
    '',
    `Precision, recall and F1 of "score ≥ threshold" against the labels; products per step over the labelled steps' top ${r.productsPerStepCap} products in the store.`,
    '',
    '| threshold | TP | FP | FN | TN | precision | recall | F1 | mean products/step | median | p90 | coverage |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of r.sweep) {
    const p = perStep(s.threshold);
    lines.push(
      `| ${s.threshold.toFixed(2)} | ${s.tp} | ${s.fp} | ${s.fn} | ${s.tn} | ${num(s.precision)} | ${num(s.recall)} | ${num(s.f1)} | ${p ? p.mean.toFixed(2) : '–'} | ${p?.median ?? '–'} | ${p?.p90 ?? '–'} | ${p ? pct(p.coverage) : '–'} |`,
    );
  }
  if (r.labels.skipped.length) {
    lines.push('', '## Skipped labels', '', `${r.labels.skipped.length} label line(s) could not be scored and were left out:`, '');
    for (const s of r.labels.skipped.slice(0, 50)) lines.push(`- line ${s.line}: product ${JSON.stringify(s.productId)}: ${s.reason}`);
    if (r.labels.skipped.length > 50) lines.push(`- … and ${r.labels.skipped.length - 50} more (see calibration.json)`);
  }
  lines.push('');
  return lines.join('\n');
}

/** One aggregation's outcome in a sweep of every aggregation. */
export interface AggregationOutcome {
  aggregate: Aggregation;
  scoring: Scoring;
  recommendation: Recommendation;
  currentThreshold: number | null;
  /** The folder of its full report, relative to the summary. */
  dir: string;
}

/** The summary of `calibrate --aggregate all`: the recommended threshold of each aggregation, with links to each full report. */
export function aggregationsReport(
  model: string,
  labels: Pick<CalibrationResult['labels'], 'used' | 'positives' | 'negatives' | 'distinctSteps' | 'lines'>,
  outcomes: readonly AggregationOutcome[],
  minPrecision: number | null,
): string {
  const lines = [
    '# Threshold calibration per aggregation',
    '',
    `Model \`${model}\`. ${labels.used} labelled step–product pairs used (${labels.positives} useful, ${labels.negatives} not useful) over ${labels.distinctSteps} distinct steps, from ${labels.lines} label lines, scored under each aggregation with the same retrieval and swept from 0.00 to 1.00.`,
    '',
    `| aggregation | score | recommended threshold | precision | recall | F1 |${minPrecision === null ? '' : ` lowest threshold with precision ≥ ${pct(minPrecision)} |`} threshold today | report |`,
    `| --- | --- | ---: | ---: | ---: | ---: |${minPrecision === null ? '' : ' ---: |'} ---: | --- |`,
  ];
  for (const o of outcomes) {
    const best = o.recommendation.bestF1;
    const atMin = o.recommendation.atMinPrecision;
    lines.push(
      `| ${o.aggregate} | ${describeScore(o.scoring)} | ${best ? `**${best.threshold.toFixed(2)}**` : '–'} | ${pct(best?.precision ?? null)} | ${pct(best?.recall ?? null)} | ${num(best?.f1 ?? null)} |${minPrecision === null ? '' : ` ${atMin ? atMin.threshold.toFixed(2) : '–'} |`} ${o.currentThreshold === null ? '–' : o.currentThreshold.toFixed(2)} | [${o.dir}/report.md](${o.dir}/report.md) |`,
    );
  }
  lines.push(
    '',
    'The recommended threshold is the F1-best one (ties go to the higher precision, then the higher threshold). Each folder holds the full sweep, plots and skipped labels of its aggregation.',
    '',
  );
  return lines.join('\n');
}
