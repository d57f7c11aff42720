import { mulberry32 } from '../../support/synthetic.js';

/** Seeded random unit vectors for store tests. */
/** Seeded PRNG: the benchmarks' mulberry32, so tests and benchmarks draw the same way. */
export const rng = mulberry32;

export function unitVector(random: () => number, dimension: number): Float32Array {
  const v = new Float32Array(dimension);
  let norm = 0;
  for (let i = 0; i < dimension; i++) {
    // Box–Muller: Gaussian components give uniformly distributed directions.
    const g = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
    v[i] = g;
    norm += g * g;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dimension; i++) v[i] /= norm;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
