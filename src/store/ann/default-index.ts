import type { AnnIndexFactory } from './ann-index.js';
import { hnswlibIndexFactory } from './hnswlib-index.js';
import { usearchIndexFactory } from './usearch-index.js';

export type AnnLibrary = 'usearch' | 'hnswlib';

export interface AnnParams {
  /** Candidate list size while searching (raised to n for deeper searches). */
  efSearch?: number;
  /** Candidate list size while inserting. */
  efConstruction?: number;
}

/**
 * The ANN library the embedded store uses unless told otherwise (ANN_INDEX), chosen again by
 * measurement when correctness under updates and deletes was found to be at stake
 * (bench/results/ann-choice.md and the README's "Choosing the ANN library"):
 * - usearch 2.26.2 f16 inserting on all cores failed the churn property test (live labels that no
 *   search for their own vector returns) and lost 3–8 of 3,042 real products across a save and
 *   load in 3 of 3 runs. Inserting on one thread it passed those, but under the concurrent-writers
 *   run through the server it still left keys that `contains` reports and no search returns, even
 *   one asking for every vector in the index (seeds 19 and 26 of 26).
 * - hnswlib-node passed all of them. It costs more memory per vector (2,771 against 851 resident
 *   bytes at 20k), searches as fast, and marks removals deleted instead of reusing keys' slots.
 */
export const DEFAULT_ANN_LIBRARY: AnnLibrary = 'hnswlib';

export function annIndexFactory(library: AnnLibrary, params: AnnParams = {}): AnnIndexFactory {
  const efSearch = params.efSearch ?? 128;
  const efConstruction = params.efConstruction ?? 256;
  return library === 'usearch'
    ? // One insert thread: usearch's parallel insert loses nodes (see above).
      usearchIndexFactory({ quantization: 'f16', buildThreads: 1, expansionSearch: efSearch, expansionAdd: efConstruction })
    : hnswlibIndexFactory({ m: 16, efConstruction, efSearch });
}

export function defaultAnnIndexFactory(params: AnnParams = {}): AnnIndexFactory {
  return annIndexFactory(DEFAULT_ANN_LIBRARY, params);
}
