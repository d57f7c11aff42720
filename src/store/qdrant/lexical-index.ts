import type { Schemas } from '@qdrant/js-client-rest';
import { UnsupportedRetrievalError } from '../../core/errors.js';

/**
 * The collection's BM25 index: a named sparse vector on every point, computed by Qdrant itself from
 * the point's text (server-side inference with the built-in `qdrant/bm25` model, Qdrant >= 1.15),
 * with the IDF modifier so Qdrant weighs each query word by its rarity in the collection at query
 * time. Request shapes follow Qdrant's "Full-Text Search" guide (documentation/search/text-search/
 * full-text-search: collection `sparse_vectors: {name: {modifier: "idf"}}`, a point vector
 * `{name: {text, model: "qdrant/bm25", options}}`, a query `{query: {text, model}, using: name}`)
 * and the Document / Bm25Config / SparseVectorParams types of @qdrant/js-client-rest 1.18.
 *
 * Server versions: BM25 inference needs Qdrant >= 1.15, below the >= 1.16 the adapter already needs
 * for collection metadata (collection-lifecycle.ts), so the floor the README states ("Scaling out")
 * stands. The model options below are those of Qdrant 1.18's API (the version docker/ pins); they
 * were not tried against an older server, which would reject the writes (HTTP 400,
 * QdrantRequestError) rather than misindex.
 */

export const BM25_VECTOR = 'bm25';
export const BM25_MODEL = 'qdrant/bm25';

/**
 * Options of the BM25 model, sent with every text written and every query (Qdrant's guide: the same
 * options at ingest and query time). avg_len is the expected words per text (Qdrant's default, 256,
 * is for documents; our texts are sentences: 10–12 words on data/sample and data/intentionqa), so
 * length normalisation acts like FTS5's. ascii_folding matches the embedded index's
 * remove_diacritics ("cafe" finds "café"). Changing either needs every product written again.
 */
export const BM25_OPTIONS: Schemas['Bm25Config'] = { avg_len: 10, ascii_folding: true };

/** The value of the BM25 vector for one text (written) or one query (searched). */
export function bm25Document(text: string): Schemas['Document'] {
  return { text, model: BM25_MODEL, options: BM25_OPTIONS };
}

/** The collection's sparse vector config (creation). */
export function bm25SparseVectors(): Record<string, Schemas['SparseVectorParams']> {
  return { [BM25_VECTOR]: { modifier: 'idf' } };
}

/**
 * Whether a collection has our BM25 vector with the IDF modifier. Collections created before
 * lexical search (or by an operator without it) have none: their points carry no BM25 vector, so
 * the store answers lexical searches with LexicalIndexMissingError instead of an empty result.
 */
export function hasBm25Vector(info: Schemas['CollectionInfo']): boolean {
  const sparse = info.config.params.sparse_vectors as Record<string, { modifier?: unknown } | undefined> | null | undefined;
  return sparse?.[BM25_VECTOR]?.modifier === 'idf';
}

/**
 * Lexical (BM25) search was asked of a Qdrant collection that has no BM25 index: it was created
 * before this version, or by an operator without the sparse vector. A condition of the deployment,
 * not of the request and not transient: retrying does not help until the collection is rebuilt
 * (point QDRANT_COLLECTION at a new collection, or delete it, and ingest the catalog again).
 * Semantic search keeps working. The message is meant for API clients: it names no collection.
 */
export class LexicalIndexMissingError extends UnsupportedRetrievalError {
  constructor(
    message = 'Lexical (BM25) retrieval is not available on this deployment: its vector store was created without a BM25 index. Use semantic retrieval, or ask the operator to rebuild the store.',
  ) {
    super(message, 'retrieval');
    this.name = 'LexicalIndexMissingError';
  }
}
