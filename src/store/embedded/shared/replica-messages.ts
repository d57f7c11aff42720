import type { TextKind } from '../../../core/product.js';
import type { IndexCheckReport, IndexHealth, LexicalMatch, ProductMatch, ScoredText, StoredText } from '../../../core/vector-store.js';

/**
 * What the store tells an index replica, and what a replica answers: plain data, so the same
 * messages go to a replica on the main thread and, through postMessage, to one in a worker.
 */

/** Which catalog changes an index snapshot already contains; the rest is replayed from SQLite on open. */
export interface Watermarks {
  /** Every text label ≤ this is reflected in the snapshot. */
  maxLabel: number;
  /** Every removal with rid ≤ this is reflected in the snapshot. */
  removalSeq: number;
}

/** One committed write, as the index sees it. Vectors are packed in one array (one copy per post). */
export interface ReplicaWrite {
  /** Texts the write removed (their labels are never reused). */
  removed: { label: number; kind: number }[];
  deletedPids: number[];
  /** Every product the write touched, with its category (filters read it). */
  products: { pid: number; category: string | null }[];
  added: { labels: number[]; pids: number[]; kinds: number[]; vectors: Float32Array };
}

export interface ReplicaSearch {
  queries: Float32Array[];
  kinds: TextKind[];
  k: number;
  threshold: number;
  /** Only products in these categories (the replica keeps its own product → category map). */
  categories?: string[];
}

/** A filter as plain data: a read matches it against each row's product id and category. */
export interface CatalogReadFilter {
  productIds?: string[];
  categories?: string[];
}

/**
 * Reads of the catalog by content, not by vector (text-search.ts): BM25 per query, or the stored
 * texts of products. They go to a replica like a search, so SQLite's work (a BM25 query over a
 * large catalog takes milliseconds) runs on a search worker's thread, not the one serving HTTP.
 */
export type CatalogRead =
  | { op: 'lexical'; queries: string[]; kinds: TextKind[]; k: number; filter?: CatalogReadFilter }
  | { op: 'productTexts'; ids: string[]; kinds: TextKind[] }
  | { op: 'scoreTexts'; queries: Float32Array[]; productIds: string[][]; kinds: TextKind[] };

export type CatalogReadResult<R extends CatalogRead> = R extends { op: 'lexical' }
  ? LexicalMatch[][]
  : R extends { op: 'scoreTexts' }
    ? Map<string, ScoredText[]>[]
    : Map<string, StoredText[]>;

/** Per query, the top products, best first (merged over kinds), as the store returns them. */
export type ReplicaHits = ProductMatch[][];

/** A replica's IndexHealth, plus what the store sums or takes the least of over replicas. */
export interface ReplicaHealth extends IndexHealth {
  memoryBytes: number;
  liveTexts: { intentions: number; titles: number };
}

export interface ReplicaOpenInfo {
  replayedTexts: number;
  replayedRemovals: number;
  check: IndexCheckReport;
}
