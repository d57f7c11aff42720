import { candidatePool, Retriever } from '../align/scoring/retriever.js';
import { thresholdable, type Scoring } from '../align/scoring/scoring.js';
import type { Embedder } from '../core/embedder.js';
import type { ProductMatch, VectorStore } from '../core/vector-store.js';
import { exactScores } from './exact-scores.js';

export interface CandidateSearchOptions {
  /** Positives per step (the alignment's top-k). */
  k: number;
  threshold: number;
  /** Hard negatives "ranked just below the threshold" come from [threshold − hardMargin, threshold). */
  hardMargin: number;
  /** Extra ranks searched beyond k to find them. */
  hardPool: number;
  /** How products are found and scored, as the aligner takes it; never rank fusion (it has no threshold). */
  scoring: Scoring;
}

export interface StepCandidates {
  /** The step's embedding; absent under lexical retrieval, which reads none. */
  vector?: Float32Array;
  /** Products scoring ≥ threshold − hardMargin under the scoring, best first. */
  ranked: ProductMatch[];
}

/**
 * The retrieval a benchmark build needs: one embedding per distinct step text (none under lexical
 * retrieval) and one retrieval per step through the aligner's own Retriever, at a lowered
 * threshold and a larger k than the alignment, so positives and the hard negatives just below the
 * threshold come from the same ranked list under the same scoring. Its first k results at or above
 * the threshold are what `Aligner.align` returns for (k, threshold, scoring) (under a scoring
 * other than the default, as long as k + hardPool fits in the aligner's candidate pool for k, at
 * least 50); the embedding is kept so sampled candidates can be scored against the same vector.
 */
export class CandidateSearch {
  private readonly retriever: Retriever;

  constructor(
    private readonly embedder: Embedder,
    private readonly store: VectorStore,
    readonly options: CandidateSearchOptions,
  ) {
    if (!thresholdable(options.scoring))
      throw new Error(
        'a benchmark needs a threshold (positives at or above it, hard negatives just below it), and rank fusion (rrf) has none',
      );
    this.retriever = new Retriever(store);
  }

  get model(): string {
    return this.embedder.id;
  }

  /** Candidates per distinct text (identical steps are embedded and searched once). */
  async search(texts: readonly string[]): Promise<Map<string, StepCandidates>> {
    const distinct = [...new Set(texts)];
    const out = new Map<string, StepCandidates>();
    if (distinct.length === 0) return out;
    const { k, threshold, hardMargin, hardPool, scoring } = this.options;
    const vectors = scoring.retrieval === 'lexical' ? undefined : await this.embedder.embed(distinct);
    const ranked = await this.retriever.retrieve(distinct, vectors, {
      k: k + hardPool,
      threshold: threshold - hardMargin,
      match: 'intentions',
      scoring,
      // The aligner's own candidate pool for k, so the positives are exactly its top-k (under
      // hybrid retrieval a larger pool can find other products); larger only when the ranks
      // searched for hard negatives do not fit in it.
      pool: Math.max(candidatePool(k), k + hardPool),
    });
    distinct.forEach((text, i) => out.set(text, { vector: vectors?.[i], ranked: ranked[i] }));
    return out;
  }

  /**
   * The real score of each given product for a step under the scoring, whatever it scores
   * (exact-scores.ts). Products that are unknown or have no intentions are absent from the map.
   */
  score(text: string, candidates: StepCandidates, productIds: readonly string[]): Promise<Map<string, ProductMatch>> {
    return exactScores(this.store, { text, vector: candidates.vector }, productIds, this.options.scoring);
  }
}
