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
import { prepareCollection, type CollectionFeatures } from './collection-lifecycle.js';
import { QdrantConnection } from './connection.js';
import { QdrantHealth } from './health.js';
import { lexicalSearchProducts } from './lexical-search.js';
import { getProduct, listProducts } from './product-reads.js';
import { searchProducts } from './product-search.js';
import { productTexts } from './product-texts.js';
import { ProductWrites } from './product-writes.js';
import { silentLogger } from '../../core/logger.js';
import type { QdrantStoreOptions } from './qdrant-options.js';

export type { QdrantStoreOptions } from './qdrant-options.js';

/**
 * The VectorStore on a Qdrant collection (one point per product text), for catalogs that outgrow one
 * machine. Search is Qdrant's grouping query; products are records on their title points.
 *
 * The parts, one job each: collection-lifecycle.ts (create or verify the collection on open),
 * product-writes.ts (the three-step write protocol that keeps a product whole), product-reads.ts,
 * product-search.ts, product-texts.ts (stored texts and vectors), lexical-search.ts (BM25 on the
 * collection's sparse vector, lexical-index.ts), health.ts (ping and stats for /readyz, cached),
 * all on one QdrantConnection (client + retries).
 */
export class QdrantStore implements VectorStore {
  readonly backend = 'qdrant';
  readonly modelId: string;
  readonly dimension: number;
  private readonly options: QdrantStoreOptions;
  private readonly conn: QdrantConnection;
  private readonly writes: ProductWrites;
  private readonly health: QdrantHealth;
  private readonly features: CollectionFeatures;

  private constructor(options: QdrantStoreOptions, conn: QdrantConnection, features: CollectionFeatures) {
    this.options = options;
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.conn = conn;
    this.features = features;
    this.writes = new ProductWrites(this.conn, options, features);
    this.health = new QdrantHealth(this.conn, options);
  }

  /** Connects, creates or verifies the collection and its payload indexes, and learns what it supports. */
  static async open(options: QdrantStoreOptions): Promise<QdrantStore> {
    const conn = new QdrantConnection(options);
    const features = await prepareCollection(conn, options, options.logger ?? silentLogger);
    return new QdrantStore(options, conn, features);
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

  productTexts(ids: readonly string[], kinds: readonly TextKind[]): Promise<Map<string, StoredText[]>> {
    return productTexts(this.conn, ids, kinds);
  }

  /** Rejects with LexicalIndexMissingError (lexical-index.ts) on a collection created without BM25. */
  lexicalSearch(queries: readonly string[], options: LexicalSearchOptions): Promise<LexicalMatch[][]> {
    return lexicalSearchProducts(this.conn, this.features, this.options, queries, options);
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
