import {
  kindsFor,
  type MatchMode,
  type ProductMatch,
  type SearchFilter,
  type StoredText,
  type VectorStore,
} from '../../core/vector-store.js';
import { rankStep, type AlignedMatch } from './step-ranking.js';
import type { Scoring } from './scoring.js';

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
 * Candidates per side per step before re-scoring: 10·k, at least 50, at most 1,000.
 * On the sample catalog the mean's top 10 from a 50-candidate pool equals the exhaustive mean's in
 * (see bench/aggregation-recall.ts and the README's figures).
 */
export function candidatePool(k: number): number {
  return Math.min(1000, Math.max(50, k * 10));
}

/**
 * Finds and scores products for steps under any scoring (scoring.ts). The default, semantic
 * retrieval under max, is exactly the store's search. Every other choice fetches a candidate pool
 * from the side(s) it uses, reads the candidates' stored texts and vectors once for all steps, and
 * re-scores them exactly (step-ranking.ts).
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
    let stored: Map<string, StoredText[]> | undefined;
    if (scoring.retrieval !== 'lexical' || scoring.aggregate !== 'max') {
      const ids = new Set<string>();
      for (const list of [...(semantic ?? []), ...(lexical ?? [])]) for (const m of list) ids.add(m.productId);
      stored = await this.store.productTexts([...ids], kindsFor(match));
    }
    return texts.map((_, i) =>
      rankStep({ query: vectors?.[i], semantic: semantic?.[i], lexical: lexical?.[i], stored }, scoring, o.k, o.threshold),
    );
  }
}
