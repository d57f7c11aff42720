import type { AnnIndexFactory } from './ann-index.js';
import { usearchIndexFactory, type UsearchOptions } from './usearch-index.js';

/**
 * The ANN index the service uses unless told otherwise: usearch HNSW with f16 vectors, M 16,
 * expansion 256 on insert and 128 on search (raised to n for deeper searches).
 *
 * Measured reason (bench/index-bench.ts, 1M clustered 384-d unit vectors, 200 queries one at a
 * time, 2-vCPU VM). Both finalists meet every target (recall@10 ≥ 0.97, ≥ 50× the exact scan,
 * ≤ 2 KiB resident per vector):
 *   usearch f16:         recall 0.979,  759 q/s (336× exact), 1051 B/vector, builds 759/s on 2 threads
 *   hnswlib-node ef 256: recall 0.982, 1501 q/s (700× exact), 1814 B/vector, builds 1290/s on 1 thread
 * usearch f16 wins on memory, the scarcer resource here (two indexes per model in one process):
 * 42 % less per vector, while hnswlib sits close to the 2 KiB budget at 1M and above it at
 * 100k–200k, where fixed costs weigh more. Its files are checksummed on load, and removed slots
 * are reused natively. Use hnswlibIndexFactory() instead when query throughput or build time
 * matter more than memory. f32 costs 1.7× the memory with no recall gain; i8 loses recall.
 */
export function defaultAnnIndexFactory(options: UsearchOptions = {}): AnnIndexFactory {
  return usearchIndexFactory({ quantization: 'f16', ...options });
}
