import type { AnnIndexFactory } from './ann-index.js';
import { hnswlibIndexFactory } from './hnswlib-index.js';

export type AnnLibrary = 'usearch' | 'hnswlib';

export interface AnnParams {
  /** Candidate list size while searching (raised to n for deeper searches). */
  efSearch?: number;
  /** Candidate list size while inserting. */
  efConstruction?: number;
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
