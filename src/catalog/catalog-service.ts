import type { Embedder } from '../embedding/embedder.js';
import type { ProductUpsert, VectorStore } from '../store/vector-store.js';
import { contentHash } from './content-hash.js';
import { textsOf, type Product } from './product.js';

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
    for (let i = 0; i < pending.length; i += this.embedBatchSize) {
      const chunk = pending.slice(i, i + this.embedBatchSize);
      const vectors = await this.embedder.embed(chunk.map((t) => t.text));
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
