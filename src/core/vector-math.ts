/**
 * The vector arithmetic every embedder, index and store shares. Embedders return unit vectors, so
 * a dot product is a cosine; `cosine` is for vectors read back from storage, whose norm is not
 * assumed.
 */

/**
 * Scales `v` in place to unit length; a zero vector stays zero. Returns `v`. With `tolerance`, a
 * vector whose squared norm is already within it of 1 is left untouched, so an index that
 * normalises what embedders already normalised stores their exact floats.
 */
export function l2normalize(v: Float32Array, tolerance = 0): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  if (sum > 0 && Math.abs(sum - 1) > tolerance) {
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
  return v;
}

/** Dot product over `a`'s length; equals cosine similarity for unit vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Cosine similarity of two vectors of any norm; 0 when either is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
