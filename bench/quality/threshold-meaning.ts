/**
 * What a threshold means on real data: over IntentionQA's held-out clauses (each one a step whose right
 * answers are its co-purchase pair's two products), every product of the catalog is scored once, and each
 * threshold is read off the same scores: how many products a step gets, and the precision and recall of the
 * pair's products among them.
 *
 * Also the calibration rule for the defaults of the other scorings: the threshold at which a step gets as many
 * products on average as under max at the model's threshold (equal selectivity on the tuning split).
 */
import type { Aggregation } from '../../src/align/scoring/aggregate.js';
import type { Aligner } from '../../src/align/aligner.js';
import type { QaQuery } from '../../support/quality-data.js';
import { bottomThreshold, scoringOf, type Mode } from './quality-metrics.js';

export interface ThresholdPoint {
  threshold: number;
  productsPerStep: number;
  /** Share of the returned products that are the step's pair (micro-averaged over all steps). */
  precision: number;
  /** Share of the pairs' products that are returned. */
  recall: number;
  /** Steps that get no product at all. */
  emptySteps: number;
}

/** Every product's score for every query (descending), with relevance marks. */
export interface ScoredQueries {
  scores: { score: number; relevant: boolean }[][];
  relevantTotal: number;
}

export async function scoreEveryProduct(
  aligner: Aligner,
  queries: readonly QaQuery[],
  products: number,
  aggregate: Aggregation,
  mode: Mode,
): Promise<ScoredQueries> {
  const result = await aligner.align([{ steps: queries.map((q) => q.clause) }], {
    k: products,
    pool: products,
    threshold: bottomThreshold(mode),
    match: 'both',
    scoring: scoringOf(aggregate, mode),
  });
  const scores = queries.map((q, i) => {
    const relevant = new Set(q.relevant);
    return result.scripts[0][i].products.map((p) => ({ score: p.score, relevant: relevant.has(p.productId) }));
  });
  return { scores, relevantTotal: queries.reduce((n, q) => n + new Set(q.relevant).size, 0) };
}

export function pointAt(s: ScoredQueries, threshold: number): ThresholdPoint {
  let returned = 0;
  let hits = 0;
  let empty = 0;
  for (const list of s.scores) {
    const kept = list.filter((p) => p.score >= threshold);
    returned += kept.length;
    hits += kept.filter((p) => p.relevant).length;
    if (kept.length === 0) empty++;
  }
  return {
    threshold,
    productsPerStep: returned / s.scores.length,
    precision: returned ? hits / returned : 0,
    recall: s.relevantTotal ? hits / s.relevantTotal : 0,
    emptySteps: empty,
  };
}

/** The highest threshold at which steps get at least `perStep` products on average (equal selectivity). */
export function thresholdForSelectivity(s: ScoredQueries, perStep: number): number {
  const all = s.scores.flatMap((l) => l.map((p) => p.score)).sort((a, b) => b - a);
  const target = Math.round(perStep * s.scores.length);
  if (target <= 0) return all[0] ?? 0;
  return all[Math.min(target, all.length) - 1];
}

/** The threshold with the best F1 of the pairs' products over the whole catalog (ties: the higher one). */
export function f1BestOverCatalog(s: ScoredQueries): ThresholdPoint & { f1: number } {
  const all = s.scores.flatMap((l) => l).sort((a, b) => b.score - a.score);
  let hits = 0;
  let best = { f1: 0, at: 0 };
  all.forEach((p, i) => {
    if (p.relevant) hits++;
    const precision = hits / (i + 1);
    const recall = hits / s.relevantTotal;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1 && (i + 1 === all.length || all[i + 1].score < p.score)) best = { f1, at: p.score };
  });
  return { ...pointAt(s, best.at), f1: best.f1 };
}
