/**
 * The lexical embedder's features of one text, added to a FeatureTable:
 *   - word unigrams (stems);
 *   - word bigrams over consecutive stems;
 *   - character 3- and 4-grams of each word's surface form with boundary markers ("<gr", "gri", ...), which catch
 *     partial overlaps the stemmer misses (compounds, typos, irregular forms). A word's n-grams share a fixed
 *     weight budget so long words do not dominate.
 * Features are FNV-1a hashes computed straight from the strings (no substring allocation), one seed per family.
 */
import type { FeatureTable } from './feature-table.js';
import { fmix32 } from '../text-vectors/murmur3-fmix32.js';

// Feature weights (before the sublinear count transform and the final normalisation).
const UNIGRAM_WEIGHT = 1.0;
const BIGRAM_WEIGHT = 0.5;
/**
 * Unigrams and bigrams are each spread over several hashed slots (weight / sqrt(k) each). With 384 dimensions
 * two unrelated words share a slot with probability 1/384; if a word were a single feature carrying most of a
 * short text's norm, such a collision would score ~0.6 between unrelated one-word texts. Spreading caps the
 * damage of one collision at about 1/k of that.
 */
const UNIGRAM_PROBES = 4;
const BIGRAM_PROBES = 2;
/** Total L2 weight of one word's character n-grams (each n-gram gets NGRAM_BUDGET / sqrt(count)). */
const NGRAM_BUDGET = 0.75;

// Hash seeds: one per feature family so "ab" as a word and "ab" as an n-gram land differently.
const SEED_UNIGRAM = 0x2f1a_9c37;
const SEED_BIGRAM = 0x61c8_8647;
const SEED_NGRAM3 = 0x1b87_3593;
const SEED_NGRAM4 = 0x7ed5_5d16;
const FNV_PRIME = 0x0100_0193;
const BOUNDARY_START = 0x3c; // '<'
const BOUNDARY_END = 0x3e; // '>'
const BIGRAM_SEPARATOR = 0x20;

/**
 * Adds the features of one text: `surface` are its words as tokenized, `stems` their stems (same length).
 * Word n-grams come from the stems, character n-grams from the surface forms.
 */
export function addTextFeatures(table: FeatureTable, surface: readonly string[], stems: readonly string[]): void {
  for (let i = 0; i < surface.length; i++) {
    const s = stems[i];
    addProbes(table, fnvRange(SEED_UNIGRAM, s, 0, s.length), UNIGRAM_PROBES, UNIGRAM_WEIGHT);
    if (i > 0) {
      const p = stems[i - 1];
      let h = fnvRange(SEED_BIGRAM, p, 0, p.length);
      h = Math.imul(h ^ BIGRAM_SEPARATOR, FNV_PRIME);
      addProbes(table, fnvRange(h, s, 0, s.length), BIGRAM_PROBES, BIGRAM_WEIGHT);
    }
    addCharNgrams(table, surface[i]);
  }
}

/** FNV-1a over UTF-16 code units of s[start, end), continuing from `h`. */
function fnvRange(h: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const PROBE_WEIGHT_SCALE = [0, 1, Math.SQRT1_2, 1 / Math.sqrt(3), 0.5];

/** Adds feature `hash` as `k` distinct sub-features, each with weight w / sqrt(k). */
function addProbes(table: FeatureTable, hash: number, k: number, w: number): void {
  const each = w * (PROBE_WEIGHT_SCALE[k] ?? 1 / Math.sqrt(k));
  for (let p = 0; p < k; p++) table.add(fmix32(hash + Math.imul(p, 0x9e37_79b9)), each);
}

/**
 * Character 3- and 4-grams of "<word>", hashed straight from the string (no substring allocation).
 * Position -1 is the start marker and position `len` the end marker.
 */
function addCharNgrams(table: FeatureTable, w: string): void {
  const len = w.length;
  const padded = len + 2;
  const n3 = padded >= 3 ? padded - 2 : 0;
  const n4 = padded >= 4 ? padded - 3 : 0;
  const total = n3 + n4;
  if (total === 0) return;
  const weight = NGRAM_BUDGET / Math.sqrt(total);
  for (let start = -1; start + 3 <= len + 1; start++) table.add(ngramHash(SEED_NGRAM3, w, start, 3), weight);
  for (let start = -1; start + 4 <= len + 1; start++) table.add(ngramHash(SEED_NGRAM4, w, start, 4), weight);
}

function ngramHash(seed: number, w: string, start: number, n: number): number {
  const len = w.length;
  let h = seed;
  for (let k = start, end = start + n; k < end; k++) {
    const c = k < 0 ? BOUNDARY_START : k >= len ? BOUNDARY_END : w.charCodeAt(k);
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h;
}
