import type { Product, TextKind } from './product.js';

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

/** Which retriever found a product: the vector index, the BM25 index, or both (hybrid). */
export type RetrievalSide = 'semantic' | 'lexical';

export interface ProductMatch {
  productId: string;
  title: string;
  category: string | null;
  score: number;
  /**
   * The text that explains the match: the best-scoring one of the side that found the product
   * (semantic when both did). `by` is set by the aligner; stores leave it out.
   */
  matched: { kind: TextKind; text: string; by?: RetrievalSide[] };
  /** Each side's own score (aggregated, in [0, 1]), set in hybrid retrieval only. */
  sides?: { semantic?: number; lexical?: number };
}

/** A stored text and its vector, read back to re-score a candidate exactly (other aggregations). */
export interface StoredText {
  kind: TextKind;
  text: string;
  vector: Float32Array;
}

/** A stored text scored against one query (cosine of its stored vector). */
export interface ScoredText {
  kind: TextKind;
  text: string;
  score: number;
}

export interface LexicalSearchOptions {
  /** Products per query, ranked by their best-matching text's BM25 score. */
  k: number;
  match: MatchMode;
  filter?: SearchFilter;
}

/** One product a BM25 search found, with the texts of it that matched and their BM25 scores. */
export interface LexicalMatch {
  productId: string;
  title: string;
  category: string | null;
  /** Matching texts of the asked kinds, best first; BM25 scores are positive, higher is better. */
  texts: { kind: TextKind; text: string; score: number }[];
}

export interface StoreStats {
  products: number;
  intentions: number;
  titles: number;
}

/**
 * How far an in-process index is from the catalog: texts committed but not yet in the ANN index
 * (searchable meanwhile), removals not yet applied to it (hidden meanwhile), native failures, and
 * the latest check of every catalog text against the index.
 */
export interface IndexHealth {
  pendingTexts: number;
  pendingRemovals: number;
  indexFailures: number;
  consecutiveIndexFailures: number;
  lastIndexError?: string;
  lastCheck?: IndexCheckReport;
}

/** What a check of an index against the catalog found, per text kind. */
export interface IndexCheckReport {
  at: string;
  /** Catalog texts no index could return (put back at once by the check). */
  missing: Record<TextKind, number>;
  /** Index entries the catalog does not have (never returned, but they cost search depth). */
  extra: Record<TextKind, number>;
  /** Probed texts the index holds but a search for their own vector does not return (re-inserted). */
  unreachable: Record<TextKind, number>;
  /** Texts probed by a search for their own vector (a rotating window over the catalog). */
  probed: number;
  checkedTexts: number;
}

export interface VectorStore {
  /** Embedder id the store's vectors were produced with. */
  readonly modelId: string;
  readonly dimension: number;
  /** Content hashes of the given products that exist (absent ids are missing from the map). */
  contentHashes(ids: readonly string[]): Promise<Map<string, string>>;
  /**
   * Inserts or replaces products and all their texts. Atomic for the whole batch in the embedded
   * store; Qdrant has no transactions, so there a failed batch may be partly written, but each
   * product is written so that contentHashes reports it as missing until it is complete.
   */
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
  /**
   * Every text of the given kinds with its stored vector, per product id (unknown ids are absent).
   * Lets the aligner re-score candidates exactly under another aggregation than the best text.
   */
  productTexts(ids: readonly string[], kinds: readonly TextKind[]): Promise<Map<string, StoredText[]>>;
  /**
   * BM25 over the products' texts, per query text: the top-k products by their best text's score.
   * Embedded: SQLite FTS5; Qdrant: its server-side BM25 sparse vectors. Scores of the two differ
   * in scale details (docs/scoring.md, "BM25"), ranks agree on the conformance cases.
   */
  lexicalSearch(queries: readonly string[], options: LexicalSearchOptions): Promise<LexicalMatch[][]>;
  /**
   * Optional: per query, every text of the given kinds of each of its listed products, scored by
   * the cosine of its stored vector with the query. What the aligner would compute from
   * productTexts, done where the vectors are, so only scores travel (embedded: on a search
   * worker, 4 bytes a text instead of 1.5 kB). Stores without it are re-scored from productTexts.
   */
  scoreTexts?(
    queries: readonly Float32Array[],
    productIds: readonly (readonly string[])[],
    kinds: readonly TextKind[],
  ): Promise<Map<string, ScoredText[]>[]>;
  stats(): Promise<StoreStats>;
  /** Flushes and closes; the store must not be used afterwards. */
  close(): Promise<void>;
  /** Which implementation this is ("embedded", "qdrant"), reported by /readyz. */
  readonly backend?: string;
  /**
   * Cheap, time-bounded reachability check for remote stores (absent for in-process ones).
   * Rejects with StoreUnavailableError while the store cannot serve; /readyz turns not-ready then.
   */
  ping?(): Promise<void>;
  /** Bytes this store holds in the process's memory (in-process stores only; for metrics). */
  memoryBytes?(): number;
  /** Backlog and consistency of an in-process index (for /readyz and metrics); absent for remote stores. */
  indexHealth?(): IndexHealth;
}

export function kindsFor(match: MatchMode): TextKind[] {
  if (match === 'intentions') return ['intention'];
  if (match === 'titles') return ['title'];
  return ['intention', 'title'];
}
