import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Embedder } from '../core/embedder.js';
import type { ProductUpsert, VectorStore } from '../core/vector-store.js';
import { contentHash } from './content-hash.js';
import { textsOf, type Product } from '../core/product.js';

export interface UpsertSummary {
  upserted: number;
  unchanged: number;
  intentionsIndexed: number;
}

/**
 * Catalog use cases: upsert (embedding only what changed), get, delete.
 * A batch is embedded completely before anything is written, so a failure writes nothing.
 */
export class CatalogService {
  constructor(
    private readonly embedder: Embedder,
    private readonly store: VectorStore,
    private readonly embedBatchSize = 256,
  ) {}

  async upsert(products: readonly Product[]): Promise<UpsertSummary> {
    // Within one batch the last occurrence of an id wins, as it would across batches.
    const byId = new Map<string, Product>();
    for (const p of products) byId.set(p.id, p);
    const existing = await this.store.contentHashes([...byId.keys()]);
    const changed: { product: Product; hash: string }[] = [];
    for (const product of byId.values()) {
      const hash = contentHash(product, this.embedder.id);
      if (existing.get(product.id) !== hash) changed.push({ product, hash });
    }
    const items: ProductUpsert[] = changed.map(({ product, hash }) => ({
      product,
      contentHash: hash,
      texts: textsOf(product).map((t) => ({ ...t, vector: new Float32Array(0) })),
    }));
    const pending = items.flatMap((item) => item.texts);
    // An embedder that asks for short calls gets them, each in a macrotask of its own: otherwise a
    // 2,200-text write ran every call in one microtask chain and held HTTP for ~60 ms (an embedder on
    // this thread), or the model's queue for 1.3 s a call (the sentence model), and a live /align
    // arriving meanwhile waited for all of it. Now it waits one call at most.
    const perCall = Math.min(this.embedBatchSize, this.embedder.maxTextsPerCall ?? Infinity);
    const shortCalls = this.embedder.maxTextsPerCall !== undefined;
    for (let i = 0; i < pending.length; i += perCall) {
      if (shortCalls && i > 0) await yieldToEventLoop();
      const chunk = pending.slice(i, i + perCall);
      const vectors = await this.embedder.embed(
        chunk.map((t) => t.text),
        { priority: 'bulk' }, // a write waits behind live lookups for the model (core/priority.ts)
      );
      chunk.forEach((t, j) => (t.vector = vectors[j]));
    }
    if (items.length > 0) await this.store.upsert(items);
    return {
      upserted: items.length,
      unchanged: byId.size - items.length,
      intentionsIndexed: pending.filter((t) => t.kind === 'intention').length,
    };
  }

  get(id: string): Promise<Product | undefined> {
    return this.store.get(id);
  }

  delete(id: string): Promise<boolean> {
    return this.store.delete(id);
  }
}
