import { createHash } from 'node:crypto';

/**
 * Seeded randomness for benchmark construction. Everything a build draws comes from streams
 * seeded by (user seed, purpose, script id), never from one global stream, so a script's records
 * do not depend on how scripts were batched or on which other scripts came before it.
 */

/** mulberry32: tiny, fast, well-mixed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed derived from the user's seed and the parts naming a stream (sha256, so unrelated parts give unrelated streams). */
export function seedFor(seed: number, ...parts: readonly (string | number)[]): number {
  return createHash('sha256')
    .update(JSON.stringify([seed, ...parts]))
    .digest()
    .readUInt32LE(0);
}

export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A stream for (seed, ...parts); see seedFor. */
  static for(seed: number, ...parts: readonly (string | number)[]): Random {
    return new Random(seedFor(seed, ...parts));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [0, n); n must be ≥ 1. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Up to n distinct items, in random order (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], n: number): T[] {
    const out = items.slice();
    const m = Math.min(n, out.length);
    for (let i = 0; i < m; i++) {
      const j = i + this.int(out.length - i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out.slice(0, m);
  }
}
