import type { AnnIndexFactory } from './ann-index.js';
import { exactIndexFactory } from './exact-index.js';
import { hnswlibIndexFactory } from './hnswlib-index.js';

export type AnnLibrary = 'usearch' | 'hnswlib';

export interface AnnParams {
  /** Candidate list size while searching (raised to n for deeper searches). */
  efSearch?: number;
  /** Candidate list size while inserting. */
  efConstruction?: number;
}

/**
 * The store's ANN index as plain data: the library and its parameters. It is the one description
 * of the index: it crosses into search workers, where a factory object cannot go, and each thread
 * derives its factory from it (annFactoryFor in default-index.ts, workerAnnFactory below).
 */
export interface AnnSpec extends AnnParams {
  /** `exact`: brute force, the oracle tests compare answers across threads with. */
  library: AnnLibrary | 'exact';
}

/** An index a search worker can build: usearch's native module never finishes loading in a worker thread. */
export type WorkerAnnSpec = AnnSpec & { library: 'hnswlib' | 'exact' };

/** The factory a search worker builds its replica's index with. */
export function workerAnnFactory(spec: WorkerAnnSpec): AnnIndexFactory {
  return spec.library === 'exact' ? exactIndexFactory : hnswlibFactoryFor(spec);
}

export const DEFAULT_EF_SEARCH = 128;
export const DEFAULT_EF_CONSTRUCTION = 256;

/**
 * The hnswlib index as the store configures it. Kept apart from default-index.ts, which also
 * loads usearch: search workers import this file only, because importing usearch's native module
 * in a worker thread never completes (tried with usearch 2.26.2 on Node 20: the worker hangs).
 */
export function hnswlibFactoryFor(params: AnnParams = {}): AnnIndexFactory {
  return hnswlibIndexFactory({
    m: 16,
    efConstruction: params.efConstruction ?? DEFAULT_EF_CONSTRUCTION,
    efSearch: params.efSearch ?? DEFAULT_EF_SEARCH,
  });
}
