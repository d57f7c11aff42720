import type { Schemas } from '@qdrant/js-client-rest';
import type { Product } from '../../core/product.js';
import type { ProductUpsert } from '../../core/vector-store.js';
import { BM25_VECTOR, bm25Document } from './lexical-index.js';
import { ORDER_KEY_FIELDS, orderKeys } from './order-key.js';
import { pointId } from './point-id.js';

/**
 * The point layout (LAYOUT_VERSION in collection-config.ts): one point per distinct text of a
 * product, with the product record on its title point.
 */

/** Payload of every point; title points also carry the product record and its order keys. */
export interface PointPayload {
  productId: string;
  kind: 'intention' | 'title';
  text: string;
  title: string;
  category: string | null;
  /** Content hash of the write that produced this point; older revisions are deleted as stale. */
  rev: string;
  product?: Product;
  /** Title points: the product's content hash once all its points are written, null while pending. */
  contentHash?: string | null;
}

/**
 * The points of one product revision, its title point pending (contentHash null). With `bm25` (the
 * collection has the BM25 vector, lexical-index.ts) each point also carries its text for Qdrant to
 * turn into BM25 weights; the embedder's vector is then the collection's unnamed vector, which
 * Qdrant names "" among named ones.
 */
export function pointsOf(item: ProductUpsert, { bm25 }: { bm25: boolean }): Schemas['PointStruct'][] {
  const { product, contentHash } = item;
  const seen = new Set<string>();
  const points: Schemas['PointStruct'][] = [];
  for (const t of item.texts) {
    const id = pointId(product.id, t.kind, t.text);
    if (seen.has(id)) continue; // the same text twice is one point
    seen.add(id);
    const payload: PointPayload = {
      productId: product.id,
      kind: t.kind,
      text: t.text,
      title: product.title,
      category: product.category ?? null,
      rev: contentHash,
    };
    if (t.kind === 'title') {
      payload.product = product;
      payload.contentHash = null;
      const keys = orderKeys(product.id);
      ORDER_KEY_FIELDS.forEach((field, i) => ((payload as unknown as Record<string, unknown>)[field] = keys[i]));
    }
    const dense = Array.from(t.vector);
    const vector: Schemas['VectorStruct'] = bm25 ? { '': dense, [BM25_VECTOR]: bm25Document(t.text) } : dense;
    points.push({ id, vector, payload: payload as unknown as Record<string, unknown> });
  }
  return points;
}
