import type { Embedder } from '../core/embedder.js';
import type { PriorityOptions } from '../core/priority.js';
import type { EmbeddingCache } from './embedding-cache.js';

export interface CacheCounters {
  hits: number;
  misses: number;
}

/**
 * An Embedder that answers from a persisted cache and embeds only the misses (each distinct text
 * once per call), storing them for next time. Same id, dimension and threshold as the inner one:
 * a cached vector is the inner embedder's vector, bit for bit.
 *
 * Wrap it outside any timing decorator, so that embedding-latency metrics keep measuring real
 * model work and not cache lookups.
 */
export class CachedEmbedder implements Embedder {
  readonly counters: CacheCounters = { hits: 0, misses: 0 };

  constructor(
    private readonly inner: Embedder,
    /** Public for its failure counters (metrics) and for fault injection in tests. */
    readonly cache: EmbeddingCache,
    /** Whether close() also closes the cache (true when this embedder owns it). */
    private readonly ownsCache = true,
  ) {}

  get id(): string {
    return this.inner.id;
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  get defaultThreshold(): number {
    return this.inner.defaultThreshold;
  }

  get aggregateThresholds(): Embedder['aggregateThresholds'] {
    return this.inner.aggregateThresholds;
  }

  get maxTextsPerCall(): number | undefined {
    return this.inner.maxTextsPerCall;
  }

  async embed(texts: readonly string[], options?: PriorityOptions): Promise<Float32Array[]> {
    const cached = this.cache.get(this.id, texts, this.dimension);
    const missing = [...new Set(texts.filter((_, i) => cached[i] === undefined))];
    this.counters.hits += texts.length - cached.filter((v) => v === undefined).length;
    this.counters.misses += missing.length;
    if (missing.length === 0) return cached as Float32Array[];
    const vectors = await this.inner.embed(missing, options);
    // Best effort (embedding-cache.ts flush): a full disk is counted and skipped, never this request's failure.
    this.cache.put(this.id, missing, vectors);
    const fresh = new Map(missing.map((t, i) => [t, vectors[i]]));
    return texts.map((t, i) => cached[i] ?? fresh.get(t)!.slice());
  }

  async close(): Promise<void> {
    try {
      if (this.ownsCache) this.cache.close();
    } finally {
      await this.inner.close();
    }
  }
}
