import type { Product, TextKind } from '../catalog/product.js';

/**
 * The VectorStore port: products, their embedded texts, and grouped similarity search.
 * Implemented by the embedded store (SQLite + in-process ANN) and by the Qdrant adapter.
 */

export interface IndexedText {
  kind: TextKind;
  text: string;
  vector: Float32Array;
}

export interface ProductUpsert {
  product: Product;
  /** Hash of the product's content and the embedding model; equal hash means nothing to re-embed. */
  contentHash: string;
  texts: IndexedText[];
}

export type MatchMode = 'intentions' | 'titles' | 'both';

export interface SearchFilter {
  categories?: string[];
  productIds?: string[];
}

export interface SearchOptions {
  k: number;
  threshold: number;
  match: MatchMode;
  filter?: SearchFilter;
}

export interface ProductMatch {
  productId: string;
  title: string;
  category: string | null;
  score: number;
  matched: { kind: TextKind; text: string };
}

export interface StoreStats {
  products: number;
  intentions: number;
  titles: number;
}

export interface VectorStore {
  /** Embedder id the store's vectors were produced with. */
  readonly modelId: string;
  readonly dimension: number;
  /** Content hashes of the given products that exist (absent ids are missing from the map). */
  contentHashes(ids: readonly string[]): Promise<Map<string, string>>;
  /** Inserts or replaces products and all their texts, atomically for the whole batch. */
  upsert(items: readonly ProductUpsert[]): Promise<void>;
  get(id: string): Promise<Product | undefined>;
  /**
   * One page of products in ascending id order, starting after `after` (exclusive). Lets benchmark
   * builders sample negatives and migrations walk the catalog without loading it whole.
   */
  listProducts(page: { after?: string; limit: number }): Promise<Product[]>;
  /** Removes a product and all its texts; false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Top-k products per query vector, best first, each scored by its best-matching text. */
  search(queries: readonly Float32Array[], options: SearchOptions): Promise<ProductMatch[][]>;
  stats(): Promise<StoreStats>;
  /** Flushes and closes; the store must not be used afterwards. */
  close(): Promise<void>;
}

/** Thrown when a store was built with another embedding model or dimension than the active one. */
export class ModelMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelMismatchError';
  }
}

export function kindsFor(match: MatchMode): TextKind[] {
  if (match === 'intentions') return ['intention'];
  if (match === 'titles') return ['title'];
  return ['intention', 'title'];
}
