import type { CollectionSettings } from './collection-config.js';
import type { RetryDeps, RetryPolicy } from './retry.js';
import type { Logger } from '../../core/logger.js';

export interface QdrantStoreOptions extends CollectionSettings {
  url: string;
  apiKey?: string;
  collection: string;
  /** Per-request timeout (QDRANT_TIMEOUT_MS); also the budget within which failed calls are retried. */
  timeoutMs: number;
  /** HNSW search breadth (ANN_EF_SEARCH). */
  efSearch: number;
  logger?: Logger;
  /** Exhaustive search instead of HNSW. For conformance tests against a real Qdrant only. */
  exactSearch?: boolean;
  retry?: Partial<RetryPolicy>;
  retryDeps?: RetryDeps;
  /** Points per upsert request (~1.6 KB of JSON per 384-d vector: 256 points ≈ 0.5 MB). */
  pointsPerRequest?: number;
  /** Requests in flight at once for one call (search steps, upsert chunks). */
  concurrency?: number;
  /** How long a ping result is reused, so a flood of readiness probes costs one request per period. */
  pingCacheMs?: number;
  /**
   * How long a stats() result (two exact counts) is reused, for the same reason; dropped whenever
   * this store writes, so a caller sees its own writes.
   */
  statsCacheMs?: number;
}

/** HNSW graph degree; the same as the embedded usearch index so recall figures carry over. */
export const QDRANT_HNSW_M = 16;

/** The Qdrant settings of the validated configuration (config.ts), as this adapter reads them. */
export interface QdrantSettings {
  qdrant: {
    url?: string;
    apiKey?: string;
    collection: string;
    timeoutMs: number;
    shards: number;
    replicationFactor: number;
    quantization: QdrantStoreOptions['quantization'];
    onDisk: boolean;
  };
  annEfSearch: number;
  annEfConstruction: number;
}

/**
 * The Qdrant store's options from the validated configuration and the active embedder. Takes the
 * settings by shape, not the app's Config type, so the adapter does not depend on the composition
 * root.
 */
export function qdrantOptionsFrom(
  config: QdrantSettings,
  embedder: { id: string; dimension: number },
  logger?: Logger,
): QdrantStoreOptions {
  const q = config.qdrant;
  // config.ts already requires QDRANT_URL with STORE=qdrant; this guards other callers.
  if (!q.url) throw new Error('QDRANT_URL is required when STORE=qdrant');
  return {
    url: q.url,
    apiKey: q.apiKey,
    collection: q.collection,
    timeoutMs: q.timeoutMs,
    shards: q.shards,
    replicationFactor: q.replicationFactor,
    quantization: q.quantization,
    onDisk: q.onDisk,
    m: QDRANT_HNSW_M,
    efConstruct: config.annEfConstruction,
    efSearch: config.annEfSearch,
    modelId: embedder.id,
    dimension: embedder.dimension,
    logger,
  };
}
