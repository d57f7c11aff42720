import type { AnnIndexFactory } from './ann-index.js';
import { usearchIndexFactory, type UsearchOptions } from './usearch-index.js';

/**
 * The ANN index the service uses unless told otherwise: usearch HNSW, vectors stored as f16,
 * M = 16, expansion 128 on insert / 64 on search (raised to n for deeper searches).
 *
 * Why, measured with bench/index-bench.ts (384-d clustered unit vectors, 200 queries,
 * single-threaded queries, 2-vCPU VM; numbers in the lead's bench report):
 * - f16 matches f32 recall@10 (the quantisation error, ~1e-3 in cosine, is below the gaps
 *   between neighbours) while using ~40 % less memory and answering faster (half the bytes
 *   to stream per distance), and it builds ~2× faster than f32;
 * - hnswlib-node reaches the same recall but holds more than 2 KiB per vector at 384 dims (f32
 *   vectors plus per-slot bookkeeping), builds on one thread only (its binding is synchronous
 *   and single-threaded), and was compiled without AVX;
 * - i8 is faster and smaller still but loses recall (≈0.98 at 100k, lower at 1M) because its
 *   ~1e-2 cosine error is comparable to the gaps between near neighbours.
 */
export function defaultAnnIndexFactory(options: UsearchOptions = {}): AnnIndexFactory {
  return usearchIndexFactory({ quantization: 'f16', ...options });
}
