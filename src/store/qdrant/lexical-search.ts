import type { Schemas } from '@qdrant/js-client-rest';
import { LIMITS, type TextKind } from '../../core/product.js';
import { queryWords } from '../../core/query-words.js';
import { kindsFor, type LexicalMatch, type LexicalSearchOptions } from '../../core/vector-store.js';
import type { CollectionFeatures } from './collection-lifecycle.js';
import { mapLimit } from './concurrency.js';
import type { QdrantConnection } from './connection.js';
import { searchFilter, type Filter } from './filters.js';
import { MATCH_PAYLOAD, type MatchPayload } from './grouping.js';
import { BM25_VECTOR, LexicalIndexMissingError, bm25Document } from './lexical-index.js';
import type { QdrantStoreOptions } from './qdrant-options.js';

/** Every text of a product can match: its title and up to LIMITS.maxIntentionsPerProduct intentions. */
const TEXTS_PER_PRODUCT = LIMITS.maxIntentionsPerProduct + 1;

/**
 * BM25 over the products' texts on Qdrant: per query, one grouping query on the BM25 sparse vector
 * (lexical-index.ts), Qdrant turning the query text into BM25 terms itself. Grouping by product
 * happens in Qdrant, as for search (grouping.ts): groups are ranked by their best text's score, the
 * k best are returned, and each group holds all of the product's matching texts (group_size covers
 * a product's every text), so the aligner's aggregations over texts see them all. Grouping
 * client-side instead would mean guessing a depth and asking again when a few products' many texts
 * crowd the list (what the embedded store does with FTS5, which cannot group).
 *
 * Stop words are dropped from the query here as the embedded store drops them (core/query-words.ts);
 * Qdrant then applies its own English stop words and stemming to query and texts alike.
 */
export async function lexicalSearchProducts(
  conn: QdrantConnection,
  features: CollectionFeatures,
  settings: Pick<QdrantStoreOptions, 'concurrency'>,
  queries: readonly string[],
  options: LexicalSearchOptions,
): Promise<LexicalMatch[][]> {
  if (!features.bm25) throw new LexicalIndexMissingError();
  const filter = searchFilter(kindsFor(options.match), options.filter);
  if (!filter || options.k <= 0) return queries.map(() => []); // an empty id or category list selects nothing
  return mapLimit(queries, settings.concurrency ?? 16, async (query) => {
    const text = lexicalQueryText(query);
    if (!text) return [];
    const result = await conn.call('lexical search', () =>
      conn.client.queryGroups(conn.collection, lexicalGroupQuery(text, options.k, filter)),
    );
    return lexicalMatchesFromGroups(result);
  });
}

/**
 * A step's free text → the words sent to Qdrant's BM25 model: lowercased words, stop words and
 * repeats left out. Undefined when no word is left (it would match nothing). Query syntax has no
 * meaning to Qdrant's tokenizer, so `AND "NEAR(` is just the words "near" (and the stop word "and").
 */
export function lexicalQueryText(text: string): string | undefined {
  const kept = queryWords(text);
  return kept.length ? kept.join(' ') : undefined;
}

export function lexicalGroupQuery(text: string, k: number, filter: Filter): Schemas['QueryGroupsRequest'] {
  return {
    // Qdrant's "Full-Text Search" guide: query {text, model: "qdrant/bm25"} with `using` the BM25 vector.
    query: bm25Document(text),
    using: BM25_VECTOR,
    filter,
    group_by: 'productId',
    group_size: TEXTS_PER_PRODUCT,
    limit: k,
    with_payload: MATCH_PAYLOAD,
  };
}

/** Groups → LexicalMatch list: products by their best text's score, each product's texts best first. */
export function lexicalMatchesFromGroups(result: Schemas['GroupsResult']): LexicalMatch[] {
  const out: { match: LexicalMatch; best: number }[] = [];
  for (const group of result.groups) {
    const hits = group.hits.filter((h) => h.score > 0);
    if (hits.length === 0) continue;
    const first = (hits[0].payload ?? {}) as MatchPayload;
    const texts = hits
      .map((h) => {
        const p = (h.payload ?? {}) as MatchPayload;
        return { kind: p.kind as TextKind, text: typeof p.text === 'string' ? p.text : '', score: h.score };
      })
      .sort((a, b) => b.score - a.score);
    out.push({
      match: {
        productId: typeof first.productId === 'string' ? first.productId : String(group.id),
        title: typeof first.title === 'string' ? first.title : '',
        category: typeof first.category === 'string' ? first.category : null,
        texts,
      },
      best: texts[0].score,
    });
  }
  out.sort((a, b) => b.best - a.best || (a.match.productId < b.match.productId ? -1 : a.match.productId > b.match.productId ? 1 : 0));
  return out.map((o) => o.match);
}
