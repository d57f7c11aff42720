/**
 * Merging the semantic and the lexical candidate lists of one step (hybrid retrieval).
 *
 * - weighted: alpha · semantic + (1 − alpha) · lexical, each side in [0, 1] (cosine floored at 0,
 *   BM25 saturated by lexical-scale.ts), so the fused score is in [0, 1], means the same thing
 *   from one query to the next, and can be thresholded and calibrated. A product one side did not
 *   return scores 0 on that side (as in Weaviate's and Elasticsearch's linear fusion).
 * - rrf: reciprocal-rank fusion, Σ 1 / (RRF_K + rank) over the sides that returned the product
 *   (rank from 1). Robust to the two sides' scales, but the score only orders one step's list: it
 *   has no meaning across steps, so it takes no threshold.
 */
export type Fusion = 'weighted' | 'rrf';

/** The constant of Cormack et al. (2009), also Qdrant's and Elasticsearch's default. */
export const RRF_K = 60;

export function weightedFusion(semantic: number | undefined, lexical: number | undefined, alpha: number): number {
  return alpha * Math.max(0, semantic ?? 0) + (1 - alpha) * (lexical ?? 0);
}

/** RRF score of each id from ranked lists (best first); ids absent from a list get nothing from it. */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = RRF_K): Map<string, number> {
  const fused = new Map<string, number>();
  for (const list of lists) list.forEach((id, i) => fused.set(id, (fused.get(id) ?? 0) + 1 / (k + i + 1)));
  return fused;
}
