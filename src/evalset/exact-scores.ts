import { Retriever } from '../align/scoring/retriever.js';
import type { Scoring } from '../align/scoring/scoring.js';
import { ALIGN_LIMITS } from '../align/script-schema.js';
import { kindsFor, type MatchMode, type ProductMatch, type VectorStore } from '../core/vector-store.js';

/** Product ids per exact-scoring call: the bound of a search filter's productIds. */
const CHUNK = ALIGN_LIMITS.maxFilterProductIds;

/**
 * The real score of given products for one step under a scoring, whatever it is: the aligner's own
 * retrieval and re-scoring (Retriever) restricted to those products, with no threshold and a pool
 * as large as the list, so every one of them is a candidate and is scored exactly.
 *
 * Products that are unknown or have no texts of the matched kinds are absent from the map. Under
 * lexical retrieval BM25 returns only products sharing a word with the step; a product it does not
 * return scores 0 under every aggregation (each of its texts scores 0, as step-ranking.ts counts a
 * text BM25 did not match), and is given that score here, explained by its first text.
 */
export async function exactScores(
  store: VectorStore,
  step: { text: string; vector?: Float32Array },
  productIds: readonly string[],
  scoring: Scoring,
  match: MatchMode = 'intentions',
): Promise<Map<string, ProductMatch>> {
  const retriever = new Retriever(store);
  const out = new Map<string, ProductMatch>();
  for (let i = 0; i < productIds.length; i += CHUNK) {
    const ids = productIds.slice(i, i + CHUNK);
    const [matches] = await retriever.retrieve([step.text], step.vector ? [step.vector] : undefined, {
      k: ids.length,
      threshold: -1,
      match,
      filter: { productIds: ids },
      scoring,
      pool: ids.length,
    });
    for (const m of matches) out.set(m.productId, m);
    if (scoring.retrieval !== 'lexical') continue;
    const unmatched = ids.filter((id) => !out.has(id));
    if (!unmatched.length) continue;
    const texts = await store.productTexts(unmatched, kindsFor(match));
    // Only products with texts of the matched kinds count; their records are read at once, not one by one.
    const withTexts = unmatched.filter((id) => texts.get(id)?.length);
    const products = await Promise.all(withTexts.map((id) => store.get(id)));
    for (const [j, id] of withTexts.entries()) {
      const first = texts.get(id)![0];
      const product = products[j];
      if (!product) continue;
      out.set(id, {
        productId: id,
        title: product.title,
        category: product.category ?? null,
        score: 0,
        matched: { kind: first.kind, text: first.text, by: [] },
      });
    }
  }
  return out;
}
