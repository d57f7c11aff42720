import type { Aggregation } from './aggregate.js';
import { DEFAULT_ALPHA, thresholdable, type Scoring } from './scoring.js';

/** Calibrated cosine thresholds of one embedding model, one per aggregation. */
export type SemanticThresholds = Record<Aggregation, number>;

/**
 * Thresholds on the saturated BM25 score (lexical-scale.ts), one per aggregation; BM25 reads no
 * vector, so they hold for every model. Set like the offline embedders' mean and top-m thresholds:
 * where a step gets as many products on average as under max with the lexical embedder at 0.30
 * (3.2 per step on the sample data; `npx tsx scripts/aggregate-thresholds.ts` measured 0.445,
 * 0.190 and 0.265). IntentionQA's F1-best cuts are in bench/results/quality.md.
 */
export const LEXICAL_THRESHOLDS: SemanticThresholds = { max: 0.45, mean: 0.19, topm: 0.26 };

/**
 * The threshold a request gets when it names none: the model's for semantic retrieval, the BM25
 * one for lexical. For weighted hybrid, when the model has a calibrated threshold at alpha = 0.5
 * (`hybridAtHalf`), the line through lexical (alpha 0), that one (0.5) and semantic (1), so each
 * calibrated point is met exactly; otherwise the same alpha-weighted mix of the two as the score
 * itself. Null for rank fusion, whose score takes no threshold.
 */
export function defaultThreshold(scoring: Scoring, semantic: SemanticThresholds, hybridAtHalf?: SemanticThresholds): number | null {
  if (!thresholdable(scoring)) return null;
  const sem = semantic[scoring.aggregate];
  const lex = LEXICAL_THRESHOLDS[scoring.aggregate];
  if (scoring.retrieval === 'semantic') return sem;
  if (scoring.retrieval === 'lexical') return lex;
  const alpha = scoring.alpha ?? DEFAULT_ALPHA;
  const half = hybridAtHalf?.[scoring.aggregate];
  if (half === undefined) return round(alpha * sem + (1 - alpha) * lex);
  return round(alpha <= 0.5 ? lex + (half - lex) * (alpha / 0.5) : half + (sem - half) * ((alpha - 0.5) / 0.5));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
