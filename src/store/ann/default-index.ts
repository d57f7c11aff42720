import type { AnnIndexFactory } from './ann-index.js';
import {
  DEFAULT_EF_CONSTRUCTION,
  DEFAULT_EF_SEARCH,
  hnswlibFactoryFor,
  type AnnLibrary,
  type AnnParams,
  type AnnSpec,
} from './ann-params.js';
import { exactIndexFactory } from './exact-index.js';
import { usearchIndexFactory } from './usearch-index.js';

export type { AnnLibrary, AnnParams, AnnSpec } from './ann-params.js';

/**
 * The ANN library the embedded store uses unless told otherwise (ANN_INDEX), chosen again by
 * measurement when correctness under updates and deletes was found to be at stake
 * (bench/results/ann-choice.md, `npm run bench -- --only ann-choice`, docs/measurements.md,
 * "Choosing the ANN library (issue 10)", and docs/decisions/ann-library.md):
 * - usearch 2.26.2 f16 inserting on several threads strands nodes that `contains()` reports and no
 *   search reaches (upstream #735): the churn test failed 2 of 3 seeds in one run, and 3–8 of 3,042
 *   real products were not found by their exact title after a save and load in 3 of 3 runs.
 *   Inserting on one thread it passed those, but under concurrent writers through the server it
 *   still left such keys (seeds 19 and 26: not returned even by a search for every vector).
 * - hnswlib-node passed every check (churn, 3,042 real products, concurrent writers) with recall
 *   1.000 at 100k and about usearch's search speed (748 vs 848 q/s for one insert thread), at twice
 *   the memory (1,859 vs 900 resident bytes per vector at 100k). Correctness wins.
 * - LanceDB keeps the event loop free (388 ms worst stall building 100k, against ~2 s in 512-row
 *   chunks for the synchronous libraries) but searched 3–4× slower and needs `refineFactor(1)` for
 *   true cosine scores; the store's exact tail and background mover give the first benefit anyway.
 */
export const DEFAULT_ANN_LIBRARY: AnnLibrary = 'hnswlib';

export function annIndexFactory(library: AnnLibrary, params: AnnParams = {}): AnnIndexFactory {
  const efSearch = params.efSearch ?? DEFAULT_EF_SEARCH;
  const efConstruction = params.efConstruction ?? DEFAULT_EF_CONSTRUCTION;
  return library === 'usearch'
    ? // One insert thread: usearch's parallel insert loses nodes (see above).
      usearchIndexFactory({ quantization: 'f16', buildThreads: 1, expansionSearch: efSearch, expansionAdd: efConstruction })
    : hnswlibFactoryFor(params);
}

/** The factory an index description names, on the main thread (where every library loads). */
export function annFactoryFor(spec: AnnSpec): AnnIndexFactory {
  return spec.library === 'exact' ? exactIndexFactory : annIndexFactory(spec.library, spec);
}

export function defaultAnnIndexFactory(params: AnnParams = {}): AnnIndexFactory {
  return annIndexFactory(DEFAULT_ANN_LIBRARY, params);
}
