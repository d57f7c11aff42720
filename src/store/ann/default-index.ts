import type { AnnIndexFactory } from './ann-index.js';
import { hnswlibIndexFactory, type HnswlibOptions } from './hnswlib-index.js';

/**
 * The ANN index the service uses unless told otherwise: hnswlib-node HNSW, M 16, efConstruction
 * 256 and efSearch 128 by default (both from configuration; search raises ef to n for deeper lists).
 *
 * Chosen again when correctness under updates and deletes was found to be at stake (issue 10;
 * figures in bench/results/ann-choice.md and the README):
 * - usearch 2.26.2 f16, the previous default, lost texts: after the real IntentionQA catalog
 *   (3,042 products in six batches of 500 and one of 42) was saved and loaded, 3–8 products were
 *   not found by their own exact title in 3 of 3 runs, and its churn check found live labels that
 *   no search for their own vector returned. 2.25.3 also hung for good inside native `remove`.
 * - hnswlib-node found every product in the same runs and passes the churn check; it marks
 *   removals deleted and reuses their slots, which is simple and has held up.
 * It costs memory (1,814 vs 1,051 bytes per vector at 1M, measured in bench/index-bench.ts) and
 * searches faster (1,501 vs 759 q/s at 1M). usearch stays available as an adapter for benchmarks.
 */
export function defaultAnnIndexFactory(options: HnswlibOptions = {}): AnnIndexFactory {
  return hnswlibIndexFactory({ m: 16, efConstruction: 256, efSearch: 128, ...dropUndefined(options) });
}

function dropUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
