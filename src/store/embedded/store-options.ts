import type { Logger } from '../../core/logger.js';
import type { StorageMonitor } from '../../util/storage-monitor.js';
import type { SearchPlacement } from './search-placement.js';

/** What an embedded store is opened with: its settings, and where it searches (search-placement.ts). */
export type EmbeddedStoreOptions = EmbeddedStoreSettings & SearchPlacement;

export interface EmbeddedStoreSettings {
  dataDir: string;
  modelId: string;
  dimension: number;
  logger?: Logger;
  /** Filters selecting at most this many texts are answered by an exact scan instead of the ANN. */
  exactScanLimit?: number;
  /** Seconds between background snapshots when there are changes (0: only on close). */
  snapshotIntervalS?: number;
  /** Seconds between checks of the indexes against the catalog (0: only on open). Default 300. */
  checkIntervalS?: number;
  /** Longest one background slice of HNSW inserts may hold a replica's thread. Default DEFAULT_INDEX_SLICE_MS. */
  indexSliceMs?: number;
  /** Texts per check searched by their own vector to prove the ANN index can return them. Default 2000. */
  probesPerCheck?: number;
  /**
   * Writers wait while more texts than this wait for HNSW, so the exact tail (scanned by every
   * search) stays small; a failing index never makes them wait. Default 8192.
   */
  maxPendingTexts?: number;
  /**
   * The data volume's monitor: refuses growing writes below its floor and hears of every write
   * the volume refused or took, for /readyz. Without one, refusals are still StorageFullErrors.
   */
  storage?: StorageGuard;
}

/**
 * A search waits for the HNSW slice in progress on its replica's thread, so slices are kept short
 * wherever the replica runs: the same default on the main thread and in a search worker.
 */
export const DEFAULT_INDEX_SLICE_MS = 5;

export type StorageGuard = Pick<StorageMonitor, 'assertRoom' | 'recordRefusal' | 'recordSuccess'>;
