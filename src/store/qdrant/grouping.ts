import type { Schemas } from '@qdrant/js-client-rest';
import type { TextKind } from '../../core/product.js';
import type { ProductMatch } from '../../core/vector-store.js';
import type { Filter } from './filters.js';

/**
 * One step's search as a Qdrant grouping query: group the text hits by product, keep each product's
 * best text (group_size 1), the k best products (limit), at or above the threshold. This is what
 * top-products.ts does for the embedded store, done inside Qdrant.
 */

export interface GroupSearchParams {
  k: number;
  threshold: number;
  filter: Filter;
  /** HNSW search breadth (ANN_EF_SEARCH). */
  efSearch: number;
  /** Rescore quantized candidates with the original vectors (int8 collections). */
  rescore: boolean;
  /** Exhaustive search: only for tests that compare against brute force on a real Qdrant. */
  exact?: boolean;
}

/** Payload fields a hit needs to become a ProductMatch. */
export const MATCH_PAYLOAD = ['productId', 'kind', 'text', 'title', 'category'];

export function groupQuery(vector: Float32Array, p: GroupSearchParams): Schemas['QueryGroupsRequest'] {
  const params: Schemas['SearchParams'] = { hnsw_ef: Math.max(p.efSearch, p.k) };
  if (p.exact) params.exact = true;
  if (p.rescore) params.quantization = { rescore: true };
  return {
    query: Array.from(vector),
    filter: p.filter,
    params,
    group_by: 'productId',
    group_size: 1,
    limit: p.k,
    score_threshold: p.threshold,
    with_payload: MATCH_PAYLOAD,
  };
}

/** The payload fields a match reads (MATCH_PAYLOAD), unchecked as they come from the server. */
export interface MatchPayload {
  productId?: unknown;
  kind?: unknown;
  text?: unknown;
  title?: unknown;
  category?: unknown;
}

/** Groups → the store's ProductMatch list, best first (ties by product id, for a stable order). */
export function matchesFromGroups(result: Schemas['GroupsResult']): ProductMatch[] {
  const out: ProductMatch[] = [];
  for (const group of result.groups) {
    const hit = group.hits[0];
    if (!hit) continue;
    const payload = (hit.payload ?? {}) as MatchPayload;
    out.push({
      productId: text(payload.productId) ?? String(group.id),
      title: text(payload.title) ?? '',
      category: typeof payload.category === 'string' ? payload.category : null,
      score: hit.score,
      matched: { kind: payload.kind as TextKind, text: text(payload.text) ?? '' },
    });
  }
  return out.sort((a, b) => b.score - a.score || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/** A payload field we wrote as a string; a number is printed, anything else (absent, an object) is no text. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
