import { compareHits, type TextHit } from './top-products.js';
import type { ProductMatch } from '../../../core/vector-store.js';
import type { CatalogDb, MatchedRow } from '../catalog/catalog-db.js';
import { kindOf } from '../shared/text-kinds.js';
import { cosineWithBlob } from '../shared/vector-blob.js';

/**
 * Text hits → the products a caller sees: each hit's text and product read from the catalog,
 * scored by the exact cosine of the stored vector, thresholded and ordered. Runs where the hits
 * were found: in a search worker (its own SQLite connection), so the HTTP thread only dispatches
 * (this was two thirds of its share of a search), or on the main thread for exact filter scans.
 */
export function hydrateHits(
  db: CatalogDb,
  queries: readonly Float32Array[],
  perQuery: readonly TextHit[][],
  threshold: number,
): ProductMatch[][] {
  const matched = db.matchedTexts(perQuery.flatMap((hits) => hits.map((h) => h.label)));
  return perQuery.map((hits, qi) => {
    const scored: { hit: TextHit; row: MatchedRow }[] = [];
    for (const h of hits) {
      const row = matched.get(h.label);
      if (!row) continue; // removed between the search and this read
      // Scores are the exact cosines of the stored vectors, whichever index found the text (an
      // f16 HNSW index, or the exact tail before the text moved there): a product's score does
      // not change when the background mover indexes it, nor with the index's quantization.
      const score = cosineWithBlob(queries[qi], row.vector);
      if (score >= threshold) scored.push({ hit: { ...h, score }, row });
    }
    scored.sort((a, b) => compareHits(a.hit, b.hit));
    return scored.map(({ hit, row }) => ({
      productId: row.id,
      title: row.title,
      category: row.category,
      score: hit.score,
      matched: { kind: kindOf(row.kind), text: row.text },
    }));
  });
}
