import { fmix32 } from '../text-vectors/murmur3-fmix32.js';

/**
 * Signed feature hashing into the embedding's dimensions. Every concept feature (a synset, or a
 * word) is spread over PROBES signed slots of weight 1/sqrt(PROBES), so one unlucky collision
 * between two unrelated heavy features costs at most a fraction of their similarity.
 */
export const SYNSET_FEATURE = 0x51a7_3e11;
export const WORD_FEATURE = 0x2c9b_7d05;
const PROBES = 2;
const PROBE_WEIGHT = 1 / Math.sqrt(PROBES);

/** FNV-1a of a string's UTF-16 code units, finalised. Stable across runs and platforms. */
export function hashString(s: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x0100_0193);
  return fmix32(h);
}

/** Adds feature (`family`, `key`) with weight `w` into `out` (length = dimension). */
export function scatterFeature(out: Float32Array, family: number, key: number, w: number): void {
  const d = out.length;
  const value = w * PROBE_WEIGHT;
  for (let p = 0; p < PROBES; p++) {
    const h = fmix32((key ^ family) + Math.imul(p + 1, 0x9e37_79b9));
    const index = (h >>> 0) % d;
    out[index] += h < 0 ? -value : value;
  }
}
