import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/logger.js';
import type { AnnIndexFactory } from '../ann/ann-index.js';
import type { AnnSpec, WorkerAnnSpec } from '../ann/ann-params.js';
import { annFactoryFor } from '../ann/default-index.js';
import type { WorkerReplicaConfig } from './replicas/worker-protocol.js';

/**
 * Where the embedded store searches, and with it where its write transactions run: the one choice
 * between the main thread and worker threads. chooseSearchPlacement makes it, once, from the
 * configuration; the store's wiring (store-wiring.ts) builds the replicas and the catalog writer
 * from it, and the caller reads from it how many searches run at once (searchSlotsOf).
 *
 * - Main thread: one index replica and the write transactions on the calling thread. The index is
 *   any factory, so tests inject faulty ones here.
 * - Search workers: one worker thread per search thread, each holding its own replica built from
 *   `ann` (plain data: a factory cannot cross threads), and a writer thread for the transactions,
 *   so the thread that serves HTTP only dispatches.
 */
export type SearchPlacement = MainThreadSearch | WorkerSearch;

export interface MainThreadSearch {
  annFactory: AnnIndexFactory;
  searchWorkers?: undefined;
}

export interface WorkerSearch {
  searchWorkers: SearchWorkers;
  annFactory?: undefined;
}

export interface SearchWorkers {
  /** Worker threads, each with a replica of the index (at least 1). */
  threads: number;
  ann: WorkerAnnSpec;
  /** A worker silent this long is taken for hung, abandoned and replaced (0: never). Default 30 s. */
  stallMs?: number;
  /** Starts the thread of search worker `slot` (default: replicas/replica-worker.ts); tests start one they can hang. */
  startThread?: SearchThreadStarter;
}

export type SearchThreadStarter = (config: WorkerReplicaConfig, slot: number) => Worker;

export interface WantedSearch {
  /** Search threads asked for (SEARCH_THREADS); 0: the main thread. */
  threads: number;
  ann: AnnSpec;
  /** An index factory to use instead of `ann` (tests inject faulty ones): it keeps the replica on this thread. */
  annFactory?: AnnIndexFactory;
  stallMs?: number;
}

/**
 * Search workers when threads are asked for and the index can go there. An injected factory is an
 * object that cannot cross into a worker, and usearch's native module never finishes loading in
 * one: both keep the replica on the main thread.
 */
export function chooseSearchPlacement(wanted: WantedSearch, logger: Logger): SearchPlacement {
  if (wanted.annFactory) return { annFactory: wanted.annFactory };
  const { ann, threads } = wanted;
  if (threads === 0) return { annFactory: annFactoryFor(ann) };
  if (ann.library === 'usearch') {
    logger.warn(
      { searchThreads: threads },
      'ANN_INDEX=usearch cannot run in search workers (its native module hangs loading in a worker thread); searching on the main thread',
    );
    return { annFactory: annFactoryFor(ann) };
  }
  return { searchWorkers: { threads, ann: { ...ann, library: ann.library }, stallMs: wanted.stallMs } };
}

/** Search worker threads: 0 when the one replica is on the main thread. */
export function searchThreadsOf(placement: SearchPlacement): number {
  return placement.searchWorkers ? placement.searchWorkers.threads : 0;
}

/** Searches that run at once: one per search worker, or the main thread's one. */
export function searchSlotsOf(placement: SearchPlacement): number {
  return Math.max(1, searchThreadsOf(placement));
}
