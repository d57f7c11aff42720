import type { Schemas } from '@qdrant/js-client-rest';
import type { TextKind } from '../../core/product.js';
import type { SearchFilter } from '../../core/vector-store.js';

/** Translation of the API's filters into Qdrant filter JSON. */

export type Filter = Schemas['Filter'];
export type Condition = Schemas['Condition'];

export function eq(key: string, value: string | number): Condition {
  return { key, match: { value } };
}

export function anyOf(key: string, values: readonly string[]): Condition {
  return { key, match: { any: [...values] } };
}

/**
 * The filter of one search: the text kinds the match mode allows, and the request's categories and
 * product ids (both must hold when both are given, as in the embedded store). Returns undefined when
 * the filter can select nothing (an empty list), so the caller can answer without a round trip.
 */
export function searchFilter(kinds: readonly TextKind[], filter?: SearchFilter): Filter | undefined {
  const must: Condition[] = [kinds.length === 1 ? eq('kind', kinds[0]) : anyOf('kind', kinds)];
  if (filter?.categories !== undefined) {
    if (filter.categories.length === 0) return undefined;
    must.push(anyOf('category', filter.categories));
  }
  if (filter?.productIds !== undefined) {
    if (filter.productIds.length === 0) return undefined;
    must.push(anyOf('productId', filter.productIds));
  }
  return { must };
}

/** All points of one product. */
export function productFilter(productId: string): Filter {
  return { must: [eq('productId', productId)] };
}

/** The title point(s) of the given products: the points that carry the product record. */
export function titleFilter(productIds: readonly string[]): Filter {
  return { must: [eq('kind', 'title'), productIds.length === 1 ? eq('productId', productIds[0]) : anyOf('productId', productIds)] };
}

/**
 * Points of these products written by an earlier version of them: every point whose `rev` (the
 * content hash it was written with) differs from the product's new hash. One clause per product.
 */
export function staleFilter(items: readonly { productId: string; rev: string }[]): Filter {
  return { should: items.map(({ productId, rev }) => ({ must: [eq('productId', productId)], must_not: [eq('rev', rev)] })) };
}
