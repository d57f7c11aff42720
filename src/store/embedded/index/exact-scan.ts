import type { TextKind } from '../../../core/product.js';
import type { ProductMatch } from '../../../core/vector-store.js';
import type { CatalogDb } from '../catalog/catalog-db.js';
import { hydrateHits } from './hit-hydration.js';
import type { ProductMaps } from '../catalog/product-maps.js';
import type { ResolvedFilter } from '../catalog/search-filter.js';
import { compareHits, topProducts, topProductsOverKinds, type TextHit } from './top-products.js';
import { cosineWithBlob } from '../shared/vector-blob.js';

/**
 * Searches under a selective filter by scoring exactly every text it allows, their vectors read
 * from SQLite on the store's thread, instead of asking a replica's ANN index for ever deeper lists
 * until enough hits pass the filter. Used when the filter selects at most `limit` texts per kind.
 */
export class ExactScan {
  constructor(
    private readonly db: CatalogDb,
    private readonly maps: ProductMaps,
    private readonly limit: number,
  ) {}

  /** Whether the filter selects few enough texts of every asked kind to scan them all. */
  covers(filter: ResolvedFilter, kinds: readonly TextKind[]): boolean {
    return kinds.every((kind) => filter.estimate(kind) <= this.limit);
  }

  /** Per query, the top products among the texts the filter allows, best first. */
  search(
    queries: readonly Float32Array[],
    kinds: readonly TextKind[],
    options: { k: number; threshold: number },
    filter: ResolvedFilter,
  ): ProductMatch[][] {
    const { k, threshold } = options;
    const hits = queries.map((q) => topProductsOverKinds(kinds, k, (kind) => this.scan(q, kind, k, threshold, filter)));
    return hydrateHits(this.db, queries, hits, threshold);
  }

  private scan(q: Float32Array, kind: TextKind, k: number, threshold: number, filter: ResolvedFilter): TextHit[] {
    const rows = filter.pids ? this.db.textsOfProducts(filter.pids, kind) : this.db.textsOfCategories(filter.categories ?? [], kind);
    const hits: TextHit[] = [];
    for (const row of rows) {
      if (this.maps.productOf(row.label) < 0 || !filter.accept(row.pid)) continue;
      const score = cosineWithBlob(q, row.vector);
      if (score >= threshold) hits.push({ product: row.pid, label: row.label, score });
    }
    hits.sort((a, b) => compareHits(a, b) || a.label - b.label);
    return topProducts(() => ({ hits, exhausted: true }), { k, threshold }).products;
  }
}
