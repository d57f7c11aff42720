import type { Embedder } from '../core/embedder.js';
import type { ProductMatch, VectorStore } from '../core/vector-store.js';

export interface CandidateSearchOptions {
  /** Positives per step (the alignment's top-k). */
  k: number;
  threshold: number;
  /** Hard negatives "ranked just below the threshold" come from [threshold − hardMargin, threshold). */
  hardMargin: number;
  /** Extra ranks searched beyond k to find them. */
  hardPool: number;
}

export interface StepCandidates {
  vector: Float32Array;
  /** Products scoring ≥ threshold − hardMargin, best first, each by its best-matching intention. */
  ranked: ProductMatch[];
}

/**
 * The retrieval a benchmark build needs: one embedding per distinct step text and one search per
 * step, at a lowered threshold and a larger k than the alignment, so positives and the hard
 * negatives just below the threshold come from the same ranked list. Its first k results at or
 * above the threshold are what `Aligner.align` returns for (k, threshold); the embedding is kept
 * so sampled candidates can be scored against the same vector.
 */
export class CandidateSearch {
  constructor(
    private readonly embedder: Embedder,
    private readonly store: VectorStore,
    readonly options: CandidateSearchOptions,
  ) {}

  get model(): string {
    return this.embedder.id;
  }

  /** Candidates per distinct text (identical steps are embedded and searched once). */
  async search(texts: readonly string[]): Promise<Map<string, StepCandidates>> {
    const distinct = [...new Set(texts)];
    const out = new Map<string, StepCandidates>();
    if (distinct.length === 0) return out;
    const vectors = await this.embedder.embed(distinct);
    const { k, threshold, hardMargin, hardPool } = this.options;
    const ranked = await this.store.search(vectors, { k: k + hardPool, threshold: threshold - hardMargin, match: 'intentions' });
    distinct.forEach((text, i) => out.set(text, { vector: vectors[i], ranked: ranked[i] }));
    return out;
  }

  /**
   * The real score of each given product for a step vector (best-matching intention, whatever it
   * scores). The store answers a product-id filter by an exact scan of those products' texts.
   * Products that are unknown or have no intentions are absent from the map.
   */
  async score(vector: Float32Array, productIds: readonly string[]): Promise<Map<string, ProductMatch>> {
    const out = new Map<string, ProductMatch>();
    for (let i = 0; i < productIds.length; i += 1000) {
      const ids = productIds.slice(i, i + 1000);
      const [matches] = await this.store.search([vector], {
        k: ids.length,
        threshold: -1,
        match: 'intentions',
        filter: { productIds: ids },
      });
      for (const m of matches) out.set(m.productId, m);
    }
    return out;
  }
}
