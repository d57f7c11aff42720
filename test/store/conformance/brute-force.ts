import type { ProductUpsert, SearchOptions } from '../../../src/core/vector-store.js';
import { cosine } from '../../helpers/vectors.js';

/** What an exact scan over the upserted data says the answer is: the reference every store must match. */
export function bruteForce(items: readonly ProductUpsert[], query: Float32Array, options: SearchOptions) {
  const kinds = options.match === 'both' ? ['intention', 'title'] : [options.match === 'titles' ? 'title' : 'intention'];
  const rows: { productId: string; score: number; text: string }[] = [];
  for (const item of items) {
    const p = item.product;
    if (options.filter?.categories && !options.filter.categories.includes(p.category ?? '')) continue;
    if (options.filter?.productIds && !options.filter.productIds.includes(p.id)) continue;
    let best: { score: number; text: string } | undefined;
    for (const t of item.texts) {
      if (!kinds.includes(t.kind)) continue;
      const score = cosine(query, t.vector);
      if (!best || score > best.score) best = { score, text: t.text };
    }
    if (best && best.score >= options.threshold) rows.push({ productId: p.id, ...best });
  }
  return rows.sort((a, b) => b.score - a.score).slice(0, options.k);
}
