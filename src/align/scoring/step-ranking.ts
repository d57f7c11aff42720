import type { TextKind } from '../../core/product.js';
import { cosine } from '../../core/vector-math.js';
import type { LexicalMatch, ProductMatch, RetrievalSide, StoredText } from '../../core/vector-store.js';
import { aggregate } from './aggregate.js';
import { reciprocalRankFusion, weightedFusion } from './fusion.js';
import { lexicalScale } from './lexical-scale.js';
import { DEFAULT_ALPHA, type Scoring } from './scoring.js';

/** A product as the aligner returns it: `matched.by` always says which side(s) found it. */
export type AlignedMatch = ProductMatch & { matched: { by: RetrievalSide[] } };

/** One text of a candidate: its cosine with the step is known whenever the semantic side is used. */
export interface CandidateText {
  kind: TextKind;
  text: string;
  cosine?: number;
}

/** One step's candidates from each side, and what is needed to score them exactly. */
export interface StepCandidates {
  semantic?: readonly ProductMatch[];
  lexical?: readonly LexicalMatch[];
  /** Every text of each candidate of the matched kinds (absent for lexical retrieval under max). */
  texts?: ReadonlyMap<string, readonly CandidateText[]>;
}

/** A candidate's texts with the cosines computed here from their stored vectors. */
export function scoredAgainst(query: Float32Array, stored: readonly StoredText[]): CandidateText[] {
  return stored.map((t) => ({ kind: t.kind, text: t.text, cosine: cosine(query, t.vector) }));
}

interface SideScore {
  score: number;
  kind: TextKind;
  text: string;
}

interface Scored {
  productId: string;
  title: string;
  category: string | null;
  by: RetrievalSide[];
  semantic?: SideScore;
  lexical?: SideScore;
  score: number;
}

/**
 * Scores one step's candidates under the scoring's aggregation and fusion, thresholds them and
 * keeps the k best (score descending, then product id). A candidate's side scores are computed
 * exactly from all its texts: cosines of the stored vectors; BM25 of the texts the lexical side
 * matched, saturated (lexical-scale.ts), and 0 for its texts that did not match. A candidate
 * whose texts are gone (deleted since it was found) is dropped.
 */
export function rankStep(c: StepCandidates, scoring: Scoring, k: number, threshold: number | null): AlignedMatch[] {
  const scored = [...candidatesOf(c).values()].flatMap((cand) => {
    const s = scoreCandidate(cand, c, scoring);
    return s ? [s] : [];
  });
  if (scoring.retrieval === 'hybrid' && scoring.fusion === 'rrf') {
    const rank = (side: 'semantic' | 'lexical') =>
      scored
        .filter((s) => s.by.includes(side))
        .sort((a, b) => b[side]!.score - a[side]!.score || compareIds(a.productId, b.productId))
        .map((s) => s.productId);
    const fused = reciprocalRankFusion([rank('semantic'), rank('lexical')]);
    for (const s of scored) s.score = fused.get(s.productId) ?? 0;
  }
  return scored
    .filter((s) => threshold === null || s.score >= threshold)
    .sort((a, b) => b.score - a.score || compareIds(a.productId, b.productId))
    .slice(0, k)
    .map((s) => toMatch(s, scoring));
}

interface Candidate {
  productId: string;
  title: string;
  category: string | null;
  by: RetrievalSide[];
  lexical?: LexicalMatch;
}

function candidatesOf(c: StepCandidates): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  for (const m of c.semantic ?? [])
    out.set(m.productId, { productId: m.productId, title: m.title, category: m.category, by: ['semantic'] });
  for (const m of c.lexical ?? []) {
    const seen = out.get(m.productId);
    if (seen) {
      seen.by.push('lexical');
      seen.lexical = m;
    } else out.set(m.productId, { productId: m.productId, title: m.title, category: m.category, by: ['lexical'], lexical: m });
  }
  return out;
}

function scoreCandidate(cand: Candidate, c: StepCandidates, scoring: Scoring): Scored | undefined {
  const texts = c.texts?.get(cand.productId);
  const needsTexts = scoring.retrieval !== 'lexical' || scoring.aggregate !== 'max';
  if (needsTexts && !texts?.length) return undefined;
  const out: Scored = { productId: cand.productId, title: cand.title, category: cand.category, by: cand.by, score: 0 };
  if (scoring.retrieval !== 'lexical') out.semantic = semanticSide(texts!, scoring);
  if (scoring.retrieval !== 'semantic') out.lexical = lexicalSide(cand.lexical, texts, scoring);
  if (scoring.retrieval === 'semantic') out.score = out.semantic!.score;
  else if (scoring.retrieval === 'lexical') out.score = out.lexical!.score;
  else out.score = weightedFusion(out.semantic!.score, out.lexical!.score, scoring.alpha ?? DEFAULT_ALPHA);
  return out;
}

function semanticSide(texts: readonly CandidateText[], scoring: Scoring): SideScore {
  const cosines = texts.map((t) => t.cosine ?? Number.NaN);
  const best = argmax(cosines);
  return { score: aggregate(cosines, scoring.aggregate, scoring.m), kind: texts[best].kind, text: texts[best].text };
}

/**
 * The lexical side: saturated BM25 per text, aggregated over all the product's texts when they
 * are known (a text BM25 did not match scores 0), else (max) over the matched ones.
 */
function lexicalSide(hit: LexicalMatch | undefined, texts: readonly CandidateText[] | undefined, scoring: Scoring): SideScore {
  const bm25 = new Map<string, number>();
  for (const t of hit?.texts ?? []) {
    const key = keyOf(t.kind, t.text);
    bm25.set(key, Math.max(bm25.get(key) ?? 0, t.score));
  }
  const all = texts ?? hit?.texts ?? [];
  const scores = all.map((t) => lexicalScale(bm25.get(keyOf(t.kind, t.text)) ?? 0));
  const best = hit?.texts[0];
  return {
    score: scores.length ? aggregate(scores, scoring.aggregate, scoring.m) : 0,
    kind: best?.kind ?? all[0]?.kind ?? 'title',
    text: best?.text ?? all[0]?.text ?? '',
  };
}

function toMatch(s: Scored, scoring: Scoring): AlignedMatch {
  // The explanation comes from the side that found the product, semantic first.
  const side = s.by.includes('semantic') ? s.semantic! : s.lexical!;
  const match: AlignedMatch = {
    productId: s.productId,
    title: s.title,
    category: s.category,
    score: s.score,
    matched: { kind: side.kind, text: side.text, by: s.by },
  };
  if (scoring.retrieval === 'hybrid') match.sides = { semantic: Math.max(0, s.semantic!.score), lexical: s.lexical!.score };
  return match;
}

function keyOf(kind: TextKind, text: string): string {
  return `${kind}\u0000${text}`;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
