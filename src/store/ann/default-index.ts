import type { AnnIndexFactory } from './ann-index.js';
import { usearchIndexFactory, type UsearchOptions } from './usearch-index.js';

/**
 * The ANN index the service uses unless told otherwise: usearch HNSW with f16 vectors, M 16,
 * expansion 256 on insert and 128 on search (both from configuration), inserting on ONE thread.
 *
 * Chosen again by measurement when correctness under updates and deletes was found to be at stake
 * (bench/results/ann-choice.md, `npm run bench -- --only ann-choice`; the churn property test adds
 * and removes thousands of labels and checks every live one is found by its own vector):
 * - usearch f16 inserting on all cores failed the churn test on 2 of 3 seeds (live labels that no
 *   search for their own vector returns, from round 0), and after the real IntentionQA catalog
 *   (3,042 products, six batches of 500 and one of 42) was saved and loaded, 3–8 products were not
 *   found by their exact title in 3 of 3 runs: its parallel insert loses nodes.
 * - The same index inserting on one thread passed every seed and found every product in 3 of 3
 *   runs; so did hnswlib-node and LanceDB.
 * - Among those, usearch f16 on one thread needs the least memory (851 resident bytes per vector
 *   against hnswlib's 2,771 and LanceDB's 8,799 at 20k) with recall 1.000 and the same search
 *   speed as hnswlib (1,263 vs 1,281 q/s). Insert speed is no longer on the request path (the
 *   store moves new texts into HNSW in the background), so the lost build parallelism costs no
 *   latency. hnswlibIndexFactory() stays available.
 */
export function defaultAnnIndexFactory(options: UsearchOptions = {}): AnnIndexFactory {
  return usearchIndexFactory({ quantization: 'f16', buildThreads: 1, ...dropUndefined(options) });
}

function dropUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
