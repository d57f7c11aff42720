import type { Product, TextKind } from '../../core/product.js';
import type {
  LexicalMatch,
  LexicalSearchOptions,
  ProductMatch,
  ProductUpsert,
  SearchOptions,
  StoreStats,
  StoredText,
  VectorStore,
} from '../../core/vector-store.js';
import { prepareCollection } from './collection-lifecycle.js';
import { QdrantConnection } from './connection.js';
import { QdrantHealth } from './health.js';
import { getProduct, listProducts } from './product-reads.js';
import { searchProducts } from './product-search.js';
import { ProductWrites } from './product-writes.js';
import type { QdrantStoreLogger, QdrantStoreOptions } from './qdrant-options.js';

export type { QdrantStoreLogger, QdrantStoreOptions } from './qdrant-options.js';

const silent: QdrantStoreLogger = { info() {}, warn() {} };

/**
 * The VectorStore on a Qdrant collection (one point per product text), for catalogs that outgrow one
 * machine. Search is Qdrant's grouping query; products are records on their title points.
 *
 * The parts, one job each: collection-lifecycle.ts (create or verify the collection on open),
 * product-writes.ts (the three-step write protocol that keeps a product whole), product-reads.ts,
 * product-search.ts, health.ts (ping and stats for /readyz, cached), all on one QdrantConnection
 * (client + retries).
 */
export class QdrantStore implements VectorStore {
  readonly backend = 'qdrant';
  readonly modelId: string;
  readonly dimension: number;
  private readonly options: QdrantStoreOptions;
  private readonly conn: QdrantConnection;
  private readonly writes: ProductWrites;
  private readonly health: QdrantHealth;

  private constructor(options: QdrantStoreOptions) {
    this.options = options;
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.conn = new QdrantConnection(options);
    this.writes = new ProductWrites(this.conn, options);
    this.health = new QdrantHealth(this.conn, options);
  }

  /** Connects, creates or verifies the collection and its payload indexes. */
  static async open(options: QdrantStoreOptions): Promise<QdrantStore> {
    const store = new QdrantStore(options);
    await prepareCollection(store.conn, options, options.logger ?? silent);
    return store;
  }

  contentHashes(ids: readonly string[]): Promise<Map<string, string>> {
    return this.writes.contentHashes(ids);
  }

  async upsert(items: readonly ProductUpsert[]): Promise<void> {
    try {
      await this.writes.upsert(items);
    } finally {
      this.health.written();
    }
  }

  async delete(id: string): Promise<boolean> {
    try {
      return await this.writes.delete(id);
    } finally {
      this.health.written();
    }
  }

  get(id: string): Promise<Product | undefined> {
    return getProduct(this.conn, id);
  }

  listProducts(page: { after?: string; limit: number }): Promise<Product[]> {
    return listProducts(this.conn, page);
  }

  search(queries: readonly Float32Array[], options: SearchOptions): Promise<ProductMatch[][]> {
    return searchProducts(this.conn, this.options, queries, options);
  }

  // IN PROGRESS (issue 14): replaced by the Qdrant implementation before the issue is resolved.
  productTexts(_ids: readonly string[], _kinds: readonly TextKind[]): Promise<Map<string, StoredText[]>> {
    return Promise.reject(new Error('productTexts: not yet implemented for Qdrant'));
  }

  lexicalSearch(_queries: readonly string[], _options: LexicalSearchOptions): Promise<LexicalMatch[][]> {
    return Promise.reject(new Error('lexicalSearch: not yet implemented for Qdrant'));
  }

  stats(): Promise<StoreStats> {
    return this.health.stats();
  }

  ping(): Promise<void> {
    return this.health.ping();
  }

  async close(): Promise<void> {
    this.conn.close();
    this.health.close();
  }
}
