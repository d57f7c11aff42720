import type { Schemas } from '@qdrant/js-client-rest';
import type { TextKind } from '../../core/product.js';
import type { StoredText } from '../../core/vector-store.js';
import { chunks } from './concurrency.js';
import type { QdrantConnection } from './connection.js';
import { anyOf, eq, type Filter } from './filters.js';
import type { PointPayload } from './point-layout.js';

/** Products per scroll filter; the scroll pages through their points (up to 65 per product). */
const PRODUCTS_PER_REQUEST = 256;

/**
 * Every text of the given kinds with its stored vector, per product: the products' points read by
 * a payload filter (product id and kind), with their vectors. Like search, this reads what is in
 * the collection: a product whose update is between its steps (product-writes.ts) shows old and
 * new texts side by side for that moment, as search would find them. Vectors come back as Qdrant
 * stores them: a Cosine collection normalises vectors on write, so they are unit length.
 * Texts per product: title first, then intentions by text (Qdrant keeps no write order).
 */
export async function productTexts(
  conn: QdrantConnection,
  ids: readonly string[],
  kinds: readonly TextKind[],
): Promise<Map<string, StoredText[]>> {
  const out = new Map<string, StoredText[]>();
  const unique = [...new Set(ids)];
  if (unique.length === 0 || kinds.length === 0) return out;
  for (const part of chunks(unique, PRODUCTS_PER_REQUEST)) {
    const rows = await conn.scrollAll('product texts lookup', textsFilter(part, kinds), ['productId', 'kind', 'text'], true);
    for (const row of rows) {
      const p = row.payload as Partial<PointPayload> | null | undefined;
      const vector = denseVector(row.vector);
      if (!p || typeof p.productId !== 'string' || typeof p.text !== 'string' || !vector) continue;
      let texts = out.get(p.productId);
      if (!texts) out.set(p.productId, (texts = []));
      texts.push({ kind: p.kind as TextKind, text: p.text, vector });
    }
  }
  for (const texts of out.values()) texts.sort(byKindThenText);
  return out;
}

function textsFilter(ids: readonly string[], kinds: readonly TextKind[]): Filter {
  return {
    must: [
      ids.length === 1 ? eq('productId', ids[0]) : anyOf('productId', ids),
      kinds.length === 1 ? eq('kind', kinds[0]) : anyOf('kind', kinds),
    ],
  };
}

/**
 * The embedder's vector of a point as Qdrant returns it: a plain array in a collection with only the
 * unnamed vector, or under the name "" beside the BM25 sparse vector (lexical-index.ts).
 */
export function denseVector(vector: Schemas['Record']['vector']): Float32Array | undefined {
  if (Array.isArray(vector)) return isNumbers(vector) ? Float32Array.from(vector) : undefined;
  if (vector && typeof vector === 'object') {
    const unnamed = (vector as Record<string, unknown>)[''];
    if (Array.isArray(unnamed) && isNumbers(unnamed)) return Float32Array.from(unnamed);
  }
  return undefined;
}

function isNumbers(values: unknown[]): values is number[] {
  return values.length > 0 && typeof values[0] === 'number';
}

function byKindThenText(a: StoredText, b: StoredText): number {
  if (a.kind !== b.kind) return a.kind === 'title' ? -1 : 1;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}
