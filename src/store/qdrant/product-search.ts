import { kindsFor, type ProductMatch, type SearchOptions } from '../../core/vector-store.js';
import { mapLimit } from './concurrency.js';
import type { QdrantConnection } from './connection.js';
import { searchFilter } from './filters.js';
import { groupQuery, matchesFromGroups } from './grouping.js';
import type { QdrantStoreOptions } from './qdrant-options.js';
import { ModelMismatchError } from '../../core/errors.js';

export type SearchSettings = Pick<QdrantStoreOptions, 'dimension' | 'efSearch' | 'quantization' | 'exactSearch' | 'concurrency'>;

/** Top-k products per query vector: one grouping query per step (see grouping.ts). */
export async function searchProducts(
  conn: QdrantConnection,
  settings: SearchSettings,
  queries: readonly Float32Array[],
  options: SearchOptions,
): Promise<ProductMatch[][]> {
  for (const q of queries) {
    if (q.length !== settings.dimension)
      throw new ModelMismatchError(`query of dimension ${q.length}; store expects ${settings.dimension}`);
  }
  const filter = searchFilter(kindsFor(options.match), options.filter);
  if (!filter) return queries.map(() => []); // an empty id or category list selects nothing
  const params = {
    k: options.k,
    threshold: options.threshold,
    filter,
    efSearch: settings.efSearch,
    rescore: settings.quantization === 'int8',
    exact: settings.exactSearch,
  };
  // No batch endpoint groups; the steps go out concurrently instead (bounded, for /align/batch).
  return mapLimit(queries, settings.concurrency ?? 16, async (q) => {
    const result = await conn.call('search', () => conn.client.queryGroups(conn.collection, groupQuery(q, params)));
    return matchesFromGroups(result);
  });
}
