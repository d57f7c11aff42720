import type { AnnIndexFactory } from '../ann/ann-index.js';
import type { WorkerReplicaConfig } from './replicas/worker-protocol.js';
import type { Logger } from '../../core/logger.js';
import type { StorageMonitor } from '../../util/storage-monitor.js';

export interface EmbeddedStoreOptions {
  dataDir: string;
  modelId: string;
  dimension: number;
  /** The ANN index of a replica on the main thread (searchThreads 0); tests inject faulty ones here. */
  annFactory: AnnIndexFactory;
  /**
   * Search threads, each a worker holding a replica of the index (default 0: one replica on the
   * main thread). Workers build their ANN index from `annSpec`, since a factory cannot cross threads.
   */
  searchThreads?: number;
  annSpec?: WorkerReplicaConfig['ann'];
  logger?: Logger;
  /** Filters selecting at most this many texts are answered by an exact scan instead of the ANN. */
  exactScanLimit?: number;
  /** Seconds between background snapshots when there are changes (0: only on close). */
  snapshotIntervalS?: number;
  /** Seconds between checks of the indexes against the catalog (0: only on open). Default 300. */
  checkIntervalS?: number;
  /** Longest one background slice of HNSW inserts may hold a replica's thread. Default 8 ms (main thread), 5 ms (worker). */
  indexSliceMs?: number;
  /** Texts per check searched by their own vector to prove the ANN index can return them. Default 2000. */
  probesPerCheck?: number;
  /** A search worker silent this long is taken for hung, abandoned and replaced (0: never). Default 30 s. */
  searchStallMs?: number;
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

export type StorageGuard = Pick<StorageMonitor, 'assertRoom' | 'recordRefusal' | 'recordSuccess'>;
