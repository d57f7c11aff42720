import { kindsFor, type MatchMode, type SearchFilter, type VectorStore } from '../../core/vector-store.js';
import type { Scoring } from './scoring.js';
import { rankStep, scoredAgainst, type AlignedMatch, type CandidateText } from './step-ranking.js';

export interface RetrieveOptions {
  k: number;
  /** Null only for rank fusion (no threshold). */
  threshold: number | null;
  match: MatchMode;
  filter?: SearchFilter;
  scoring: Scoring;
  /** Candidates each side returns per step before exact re-scoring (default candidatePool(k)). */
  pool?: number;
}

/**
 * Candidates per side per step before re-scoring: 10·k, at least 50, at most 1,000. On the sample
 * catalog (k = 10, pool 100) the mean's top 10 recovers 0.999 of the exhaustive mean's top 10 at
 * the default threshold and 0.994 with no threshold, at 3.9–5.4× and 7.3–8.0× the time of max
 * (two runs); a pool of k recovers 0.84 (`npm run bench -- --only quality`, section d).
 */
export function candidatePool(k: number): number {
  return Math.min(1000, Math.max(50, k * 10));
}

type StepTexts = Map<string, CandidateText[]>;

/**
 * Finds and scores products for steps under any scoring (scoring.ts). The default, semantic
 * retrieval under max, is exactly the store's search. Every other choice fetches a candidate pool
 * from the side(s) it uses, scores every text of every candidate exactly (cosines of the stored
 * vectors, computed by the store next to them when it can), and ranks them (step-ranking.ts).
 *
 * Under semantic retrieval the pool is the store's best products by max at the request's
 * threshold: every aggregation is at most max, so a product whose mean or top-m clears the
 * threshold has a max that does too. The pool is only short when more than `pool` products clear it.
 */
export class Retriever {
  constructor(private readonly store: VectorStore) {}

  async retrieve(texts: readonly string[], vectors: readonly Float32Array[] | undefined, o: RetrieveOptions): Promise<AlignedMatch[][]> {
    const { scoring, match, filter } = o;
    if (scoring.retrieval !== 'lexical' && vectors?.length !== texts.length)
      throw new Error('semantic retrieval needs one vector per step');
    if (scoring.retrieval === 'semantic' && scoring.aggregate === 'max') {
      const lists = await this.store.search(vectors!, { k: o.k, threshold: o.threshold ?? -1, match, filter });
      return lists.map((list) => list.map((m) => ({ ...m, matched: { ...m.matched, by: ['semantic' as const] } })));
    }
    const pool = o.pool ?? candidatePool(o.k);
    const [semantic, lexical] = await Promise.all([
      scoring.retrieval === 'lexical'
        ? undefined
        : this.store.search(vectors!, {
            k: pool,
            // Hybrid takes the semantic side's best whatever their cosine: the lexical side can lift them.
            threshold: scoring.retrieval === 'semantic' ? (o.threshold ?? -1) : -1,
            match,
            filter,
          }),
      scoring.retrieval === 'semantic' ? undefined : this.store.lexicalSearch(texts, { k: pool, match, filter }),
    ]);
    const candidates = texts.map((_, i) => [...new Set([...(semantic?.[i] ?? []), ...(lexical?.[i] ?? [])].map((m) => m.productId))]);
    const stepTexts = await this.candidateTexts(candidates, vectors, scoring, match);
    return texts.map((_, i) =>
      rankStep({ semantic: semantic?.[i], lexical: lexical?.[i], texts: stepTexts?.[i] }, scoring, o.k, o.threshold),
    );
  }

  /** Every text of each step's candidates, with its cosine when the semantic side is used; none when not needed. */
  private async candidateTexts(
    candidates: string[][],
    vectors: readonly Float32Array[] | undefined,
    scoring: Scoring,
    match: MatchMode,
  ): Promise<StepTexts[] | undefined> {
    const kinds = kindsFor(match);
    if (scoring.retrieval !== 'lexical' && this.store.scoreTexts)
      return this.store.scoreTexts(vectors!, candidates, kinds).then(asCandidateTexts);
    if (scoring.retrieval === 'lexical' && scoring.aggregate === 'max') return undefined;
    const stored = await this.store.productTexts([...new Set(candidates.flat())], kinds);
    return candidates.map((ids, i) => {
      const out: StepTexts = new Map();
      for (const id of ids) {
        const texts = stored.get(id);
        if (!texts) continue;
        out.set(id, vectors ? scoredAgainst(vectors[i], texts) : texts.map(({ kind, text }) => ({ kind, text })));
      }
      return out;
    });
  }
}

function asCandidateTexts(perStep: Map<string, { kind: CandidateText['kind']; text: string; score: number }[]>[]): StepTexts[] {
  return perStep.map(
    (m) => new Map([...m].map(([id, texts]) => [id, texts.map((t) => ({ kind: t.kind, text: t.text, cosine: t.score }))])),
  );
}
