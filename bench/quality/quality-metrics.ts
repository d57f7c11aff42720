/**
 * The quality bench's measurements, each through the real Aligner on a real embedded store:
 * four-way accuracy (with the scores for threshold calibration), retrieval over a whole catalog,
 * the F1-best threshold, and the BM25 of each query's best lexical text.
 */
import type { Aligner } from '../../src/align/aligner.js';
import type { Aggregation } from '../../src/align/scoring/aggregate.js';
import { completeScoring, type Scoring } from '../../src/align/scoring/scoring.js';
import type { MatchMode, VectorStore } from '../../src/core/vector-store.js';
import type { QaQuery, QaQuestion } from '../../support/quality-data.js';

export type Mode = 'semantic' | 'lexical' | 'weighted' | 'rrf';
export const MODES: readonly Mode[] = ['semantic', 'lexical', 'weighted', 'rrf'];
export const MODE_LABELS: Record<Mode, string> = {
  semantic: 'semantic',
  lexical: 'lexical (BM25)',
  weighted: 'hybrid weighted α=0.5',
  rrf: 'hybrid rrf',
};

export function scoringOf(aggregate: Aggregation, mode: Mode): Scoring {
  const aggregation = { aggregate, ...(aggregate === 'topm' ? { m: 3 } : {}) };
  if (mode === 'semantic' || mode === 'lexical') return completeScoring({ ...aggregation, retrieval: mode });
  if (mode === 'weighted') return completeScoring({ ...aggregation, retrieval: 'hybrid', fusion: 'weighted', alpha: 0.5 });
  return completeScoring({ ...aggregation, retrieval: 'hybrid', fusion: 'rrf' });
}

/** The bottom of each mode's score range, so nothing is cut: cosine −1, saturated BM25 and weighted 0, rrf none. */
export function bottomThreshold(mode: Mode): number | undefined {
  return mode === 'semantic' ? -1 : mode === 'rrf' ? undefined : 0;
}

export interface FourWayScores {
  questions: number;
  correct: number;
  accuracy: number;
  /** Questions whose gold the aligner did not return at all (counted wrong). */
  goldNotReturned: number;
  /** Questions lost to a tie between the gold and a distractor. */
  ties: number;
  /** Per question the gold's score, and every distractor's (an unreturned candidate: 0, or −∞ for rrf/semantic). */
  positives: number[];
  negatives: number[];
}

/**
 * Per question: align the clause with the filter {productIds: the candidates}, k = 4, threshold at
 * the bottom so every candidate the mode can find is scored. The gold must score strictly above
 * every distractor; a candidate not returned scores below all returned ones. For calibration a
 * candidate not returned scores 0 under lexical and weighted (its saturated BM25 and fused score
 * are 0: BM25 did not match it), which is the score the service would give it.
 */
export async function fourWay(
  aligner: Aligner,
  questions: readonly QaQuestion[],
  match: MatchMode,
  aggregate: Aggregation,
  mode: Mode,
): Promise<FourWayScores> {
  const scoring = scoringOf(aggregate, mode);
  const threshold = bottomThreshold(mode);
  const unreturned = mode === 'lexical' || mode === 'weighted' ? 0 : Number.NEGATIVE_INFINITY;
  let correct = 0;
  let goldNotReturned = 0;
  let ties = 0;
  const positives: number[] = [];
  const negatives: number[] = [];
  for (const q of questions) {
    const ids = [q.gold, ...q.distractors];
    const result = await aligner.align([{ steps: [q.clause] }], { k: 4, threshold, match, filter: { productIds: ids }, scoring });
    const scores = new Map(result.scripts[0][0].products.map((p) => [p.productId, p.score]));
    const gold = scores.get(q.gold);
    if (gold === undefined) goldNotReturned++;
    else {
      const others = q.distractors.map((d) => scores.get(d) ?? Number.NEGATIVE_INFINITY);
      const beaten = others.every((s) => s < gold);
      if (beaten && !q.goldIsDistractor) correct++;
      else if (q.goldIsDistractor || others.some((s) => s === gold)) ties++;
    }
    positives.push(gold ?? unreturned);
    for (const d of q.distractors) negatives.push(scores.get(d) ?? unreturned);
  }
  return { questions: questions.length, correct, accuracy: correct / questions.length, goldNotReturned, ties, positives, negatives };
}

export interface RetrievalScores {
  queries: number;
  recallAt10: number;
  mrr: number;
  /** Queries with no relevant product in the top 10. */
  missed: number;
}

/** All queries in one align call over the whole catalog (k = 10, threshold at the bottom). */
export async function retrievalOverCatalog(
  aligner: Aligner,
  queries: readonly QaQuery[],
  match: MatchMode,
  aggregate: Aggregation,
  mode: Mode,
): Promise<RetrievalScores> {
  const result = await aligner.align([{ steps: queries.map((q) => q.clause) }], {
    k: 10,
    threshold: bottomThreshold(mode),
    match,
    scoring: scoringOf(aggregate, mode),
  });
  let recall = 0;
  let mrr = 0;
  let missed = 0;
  queries.forEach((q, i) => {
    const ranked = result.scripts[0][i].products.map((p) => p.productId);
    const relevant = new Set(q.relevant);
    const hits = ranked.filter((id) => relevant.has(id)).length;
    recall += hits / relevant.size;
    const first = ranked.findIndex((id) => relevant.has(id));
    mrr += first >= 0 ? 1 / (first + 1) : 0;
    if (hits === 0) missed++;
  });
  const n = queries.length;
  return { queries: n, recallAt10: recall / n, mrr: mrr / n, missed };
}

export interface ThresholdChoice {
  /** Accept scores ≥ threshold. */
  threshold: number;
  f1: number;
  precision: number;
  recall: number;
  /** F1 of accepting everything (the floor any threshold must beat). */
  acceptAllF1: number;
  /** Lowest and highest threshold whose F1 is within 0.01 of the best (how flat the optimum is). */
  nearBest: [number, number];
}

/** The threshold (one of the observed scores) that maximises F1 of "score ≥ t" for positives vs negatives. */
export function f1BestThreshold(positives: readonly number[], negatives: readonly number[]): ThresholdChoice {
  const all = [...positives.map((s) => ({ s, pos: 1 })), ...negatives.map((s) => ({ s, pos: 0 }))]
    .filter((x) => Number.isFinite(x.s))
    .sort((a, b) => b.s - a.s);
  const totalPos = positives.length;
  const cuts: { threshold: number; f1: number; precision: number; recall: number }[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < all.length; i++) {
    if (all[i].pos) tp++;
    else fp++;
    // Only a cut between distinct scores is a threshold.
    if (i + 1 < all.length && all[i + 1].s === all[i].s) continue;
    const precision = tp / (tp + fp);
    const recall = tp / totalPos;
    cuts.push({ threshold: all[i].s, f1: (2 * precision * recall) / (precision + recall || 1), precision, recall });
  }
  const best = cuts.reduce((b, c) => (c.f1 > b.f1 ? c : b), { threshold: Number.NaN, f1: 0, precision: 0, recall: 0 });
  const near = cuts.filter((c) => c.f1 >= best.f1 - 0.01).map((c) => c.threshold);
  const share = totalPos / (totalPos + negatives.length);
  return {
    ...best,
    acceptAllF1: (2 * share) / (share + 1),
    nearBest: [Math.min(...near), Math.max(...near)],
  };
}

export function median(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Bm25Summary {
  queries: number;
  /** Queries BM25 matched no text for. */
  unmatched: number;
  /** Of the matched queries' best text. */
  median: number;
  p25: number;
  p75: number;
}

/** The raw FTS5 BM25 of each query's best-matching text (the store's lexicalSearch, k = 1). */
export async function bestBm25(store: VectorStore, texts: readonly string[], match: MatchMode): Promise<Bm25Summary> {
  const lists = await store.lexicalSearch(texts, { k: 1, match });
  const best = lists.flatMap((l) => (l[0]?.texts[0] ? [l[0].texts[0].score] : [])).sort((a, b) => a - b);
  const at = (q: number) => best[Math.min(best.length - 1, Math.floor(q * best.length))] ?? Number.NaN;
  return { queries: texts.length, unmatched: texts.length - best.length, median: median(best), p25: at(0.25), p75: at(0.75) };
}
