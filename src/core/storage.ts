import type { StorageRefusalReason } from './errors.js';

/**
 * The storage port: what /readyz and /metrics report about the data volume (DATA_DIR), so an
 * operator sees a full disk before clients do. Reads never depend on it; writes are refused
 * (StorageFullError) while it says so.
 */
export interface StorageStatus {
  /** Whether catalog writes are being accepted now. */
  writes: 'accepted' | 'refused';
  /** Why they are refused, when they are. */
  reason?: StorageRefusalReason;
  /** Bytes an unprivileged process may still write on the data volume; absent when it cannot be read. */
  freeBytes?: number;
  totalBytes?: number;
  /** The floor below which writes are refused early (STORAGE_MIN_FREE_BYTES); 0: none. */
  minFreeBytes: number;
  /** Catalog writes refused for lack of storage since start. */
  refusedWrites: number;
  /** The latest refusal that no successful write has cleared since. */
  lastRefusal?: { at: string; reason: StorageRefusalReason; detail: string };
  /** The embedding cache's skipped work, when there is a cache. */
  cache?: CacheFailureCounts;
}

export interface StorageHealth {
  status(): Promise<StorageStatus>;
}

/** What the best-effort embedding cache skipped since start (each skip was counted, not raised). */
export interface CacheFailureCounts {
  /** Flushes the volume refused or that failed: their entries were dropped (recomputed when asked again). */
  writes: number;
  droppedEntries: number;
  /** Lookups that failed and were answered as misses. */
  reads: number;
}
