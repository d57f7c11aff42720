/**
 * Vectors packed row after row in one Float32Array: how they cross threads (one structured-clone
 * copy, or one transfer, instead of one per vector: posting 2,200 separate arrays cost ~25 ms of
 * cloning per 200-product batch) and how the receiving side reads them back as views.
 */

/** Copies `vectors` (each `dimension` long) into one array, in order. */
export function packVectors(vectors: Iterable<Float32Array>, count: number, dimension: number): Float32Array {
  const packed = new Float32Array(count * dimension);
  let row = 0;
  for (const v of vectors) packed.set(v, dimension * row++);
  return packed;
}

/** Row `i` of a packed array, as a view (no copy). */
export function packedRow(packed: Float32Array, dimension: number, i: number): Float32Array {
  return packed.subarray(i * dimension, (i + 1) * dimension);
}
