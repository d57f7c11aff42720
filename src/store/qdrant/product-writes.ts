import { type ProductUpsert } from '../../core/vector-store.js';
import type { CollectionFeatures } from './collection-lifecycle.js';
import { chunks, mapLimit } from './concurrency.js';
import type { QdrantConnection } from './connection.js';
import { eq, productFilter, staleFilter, titleFilter } from './filters.js';
import { pointsOf, type PointPayload } from './point-layout.js';
import type { QdrantStoreOptions } from './qdrant-options.js';
import { ModelMismatchError } from '../../core/errors.js';

const WRITE = { wait: true, ordering: 'medium' } as const;
const PRODUCTS_PER_REQUEST = 256;

/**
 * Writing products. Qdrant has no multi-point transactions, so a product update is ordered to be
 * safe at every step: (1) upsert the new points with rev = new hash, the title point marked pending;
 * (2) delete the product's points of other revisions; (3) mark the title point committed with the
 * content hash. A failure between steps leaves the product "pending" or without a title point, which
 * contentHashes reports as missing, so the next ingest rewrites it. Searches during an update may
 * see old and new texts side by side for a moment, never a mix of products.
 */
export class ProductWrites {
  constructor(
    private readonly conn: QdrantConnection,
    private readonly options: Pick<QdrantStoreOptions, 'dimension' | 'concurrency' | 'pointsPerRequest'>,
    private readonly features: CollectionFeatures,
  ) {}

  /** Committed content hashes: the products whose last write completed all three steps. */
  async contentHashes(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const pending = new Set<string>();
    for (const part of chunks([...new Set(ids)], PRODUCTS_PER_REQUEST)) {
      const rows = await this.conn.scrollAll('content hash lookup', titleFilter(part), ['productId', 'contentHash']);
      for (const row of rows) {
        const p = row.payload as Partial<PointPayload>;
        const id = String(p.productId);
        const hash = p.contentHash;
        // A pending title, or two committed ones that disagree, means an interrupted write: report
        // the product as missing so the next ingest rewrites it whole.
        if (typeof hash !== 'string' || (out.has(id) && out.get(id) !== hash)) pending.add(id);
        else out.set(id, hash);
      }
    }
    for (const id of pending) out.delete(id);
    return out;
  }

  async upsert(items: readonly ProductUpsert[]): Promise<void> {
    const latest = new Map<string, ProductUpsert>();
    for (const item of items) {
      for (const t of item.texts) {
        if (t.vector.length !== this.options.dimension) {
          throw new ModelMismatchError(
            `vector of dimension ${t.vector.length} for product ${item.product.id}; store expects ${this.options.dimension}`,
          );
        }
      }
      if (!item.texts.some((t) => t.kind === 'title')) throw new Error(`product ${item.product.id} has no title text to index`);
      latest.set(item.product.id, item); // the last write of a product in a batch wins, as in SQL
    }
    const batch = [...latest.values()];
    if (batch.length === 0) return;
    const { client, collection } = this.conn;
    const concurrency = this.options.concurrency ?? 4;
    // (1) new points, titles pending
    const points = batch.flatMap((item) => pointsOf(item, this.features));
    await mapLimit(chunks(points, this.options.pointsPerRequest ?? 256), concurrency, (part) =>
      this.conn.call('upsert', () => client.upsert(collection, { ...WRITE, points: part })),
    );
    const revs = batch.map((item) => ({ productId: item.product.id, rev: item.contentHash }));
    // (2) points of earlier versions (texts that changed or disappeared)
    await mapLimit(chunks(revs, PRODUCTS_PER_REQUEST), concurrency, (part) =>
      this.conn.call('stale point removal', () => client.delete(collection, { ...WRITE, filter: staleFilter(part) })),
    );
    // (3) commit: the title point now vouches for the whole product
    await mapLimit(chunks(revs, PRODUCTS_PER_REQUEST), concurrency, (part) =>
      this.conn.call('commit', () =>
        client.batchUpdate(collection, {
          ...WRITE,
          operations: part.map(({ productId, rev }) => ({
            set_payload: {
              payload: { contentHash: rev },
              filter: { must: [eq('productId', productId), eq('kind', 'title'), eq('rev', rev)] },
            },
          })),
        }),
      ),
    );
  }

  async delete(id: string): Promise<boolean> {
    const { client, collection } = this.conn;
    const { count } = await this.conn.call('product lookup', () => client.count(collection, { filter: productFilter(id), exact: true }));
    if (count === 0) return false;
    await this.conn.call('delete', () => client.delete(collection, { ...WRITE, filter: productFilter(id) }));
    return true;
  }
}
