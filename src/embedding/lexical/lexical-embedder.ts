/**
 * LexicalEmbedder: an offline, dependency-free embedder based on feature hashing.
 *
 * Each text is turned into a bag of features which are hashed (signed) into a fixed number of dimensions:
 *   - word unigrams, after a light deterministic English suffix-stripping stemmer ("grilling", "grilled",
 *     "grills" and "grill" all become "grill");
 *   - word bigrams over consecutive content words (stems);
 *   - character 3- and 4-grams of each content word's surface form with boundary markers ("<gr", "gri", ...),
 *     which catch partial overlaps the stemmer misses (compounds, typos, irregular forms). A word's n-grams
 *     share a fixed weight budget so long words do not dominate.
 * Stop words (articles, pronouns, auxiliaries, "because", "want", "to", ...) are dropped: every purchase
 * intention starts with "because they want to", which must not make two intentions look alike.
 * Feature weights are sublinear in their count (1 + ln tf) and every vector is L2-normalised.
 *
 * It is fast (no model, no allocation per feature) and fully deterministic; it is the fallback when the
 * MiniLM model is unavailable. It captures word overlap, not meaning: synonyms
 * ("barbecue" vs "grill") do not meet.
 *
 * Texts with no word characters (empty, whitespace, punctuation only) embed to the zero vector, which has
 * cosine 0 with everything. A text made only of stop words is embedded from its stop words instead.
 */
import { embedEach, fmix32 } from './batch.js';
import type { Embedder } from '../core/embedder.js';
import { l2normalize } from '../core/vector-math.js';

export const LEXICAL_EMBEDDER_ID = 'lexical-hash-384-v1';
export const LEXICAL_DIMENSION = 384;

/**
 * Provisional cosine threshold for the lexical embedder: roughly where two short intentions that share one
 * content word (and its character n-grams) and differ in one or two others score, while unrelated texts
 * stay near 0 (hash-collision noise is about ±0.05). To be calibrated by the lead on the sample catalog.
 */
export const LEXICAL_DEFAULT_THRESHOLD = 0.3;

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
 * Dropped before feature extraction (matched on the lowercased surface form). Besides function words this
 * includes the intention template ("because they want/need to") and ubiquitous shopping verbs (buy, get, go)
 * that would otherwise make unrelated steps and intentions look alike.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a an the this that these those some any each every all both either neither such own
  and or but nor so yet if then than as because since while when whenever where wherever whether though although
  of to in on at by for with without from into onto upon about above below over under between through during
  before after against among around off up out via per
  i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her hers
  herself it its itself they them their theirs themselves one ones someone something anyone anything
  is am are was were be been being do does did doing done have has had having
  will would shall should can could may might must ought
  want wants wanted wanting need needs needed needing like likes wish wishes
  not no nor very too just also only even still again more most much many less least few
  what which who whom whose how why here there
  go goes going went gone get gets getting got buy buys buying bought gonna wanna able sure really`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------


/** FNV-1a over UTF-16 code units of s[start, end), continuing from `h`. */
function fnvRange(h: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

// ---------------------------------------------------------------------------------------------
// Normalisation, tokenisation, stemming
// ---------------------------------------------------------------------------------------------

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Lowercase; for non-ASCII text first fold compatibility forms and strip accents ("Café" -> "cafe", "ＧＲＩＬＬ" -> "grill"). */
function normalise(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

function isWordCode(c: number, s: string, i: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39); // already lowercased
  // Surrogate pairs: test the whole code point on its high half, treat the low half as part of the word.
  if (c >= 0xdc00 && c <= 0xdfff) return i > 0 && isWordCode(s.charCodeAt(i - 1), s, i - 1);
  return WORD_CHAR.test(String.fromCodePoint(s.codePointAt(i) ?? c));
}

function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x2019;
}

/**
 * Splits a normalised text into words: maximal runs of letters/digits. Apostrophes inside a word are
 * dropped ("kid's" -> "kids", "don't" -> "dont"). Pushes into `out` (reused between texts).
 */
function tokenize(s: string, out: string[]): void {
  out.length = 0;
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && !isWordCode(s.charCodeAt(i), s, i)) i++;
    if (i >= n) break;
    let start = i;
    let word = '';
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isWordCode(c, s, i)) {
        i++;
      } else if (isApostrophe(c) && i + 1 < n && i > start && isWordCode(s.charCodeAt(i + 1), s, i + 1)) {
        word += s.slice(start, i);
        i++;
        start = i;
      } else {
        break;
      }
    }
    out.push(word + s.slice(start, i));
  }
}

function isVowel(c: number): boolean {
  return c === 0x61 || c === 0x65 || c === 0x69 || c === 0x6f || c === 0x75; // a e i o u
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (isVowel(w.charCodeAt(i)) || (i > 0 && w.charCodeAt(i) === 0x79)) return true;
  return false;
}

function isAsciiLetters(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
}

/**
 * A light, deterministic English suffix stripper (not Porter; deliberately conservative). It only needs to
 * map inflections of the same word to one key:
 *   plurals     tents->tent, boxes->box, batteries->batteri, glasses->glass (but bus, analysis kept)
 *   -ing / -ed  grilling->grill, grilled->grill, running->run, baking->bak, needed->need (speed, bring kept)
 *   -ly         quickly->quick
 *   final -y/-e battery->batteri, bake->bak, cookie->cooki (so they meet their inflected forms)
 * Words shorter than 4 letters, and anything that is not plain ASCII letters, are returned unchanged.
 */
export function stem(word: string): string {
  if (word.length < 4 || !isAsciiLetters(word)) return word;
  let w = word;

  // Plurals / third person.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);

  // Progressive / past.
  let stripped = false;
  if (w.endsWith('ing') && w.length - 3 >= 3 && hasVowel(w, w.length - 3)) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.endsWith('ed') && !w.endsWith('eed') && w.length - 2 >= 3 && hasVowel(w, w.length - 2)) {
    w = w.slice(0, -2);
    stripped = true;
  } else if (w.endsWith('ly') && w.length - 2 >= 4) {
    w = w.slice(0, -2);
  }
  if (stripped) {
    // running -> runn -> run; keep ll/ss/zz (grilling -> grill, dressed -> dress).
    const n = w.length;
    const last = w.charCodeAt(n - 1);
    if (n >= 3 && last === w.charCodeAt(n - 2) && !isVowel(last) && last !== 0x6c && last !== 0x73 && last !== 0x7a) {
      w = w.slice(0, -1);
    }
  }

  // Final -y after a consonant -> i; drop a final -e.
  const n = w.length;
  if (n > 3) {
    const last = w.charCodeAt(n - 1);
    if (last === 0x79 && !isVowel(w.charCodeAt(n - 2))) w = `${w.slice(0, -1)}i`;
    else if (last === 0x65) w = w.slice(0, -1);
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// Per-text feature table (open addressing keyed by the 32-bit feature hash)
// ---------------------------------------------------------------------------------------------

class FeatureTable {
  private capacity = 0;
  private mask = 0;
  private keys = new Int32Array(0);
  private counts = new Uint16Array(0);
  private weights = new Float32Array(0);
  /** Slot index of each distinct feature, in insertion order. */
  private slots = new Int32Array(0);
  private used = new Uint8Array(0);
  size = 0;

  constructor(initialCapacity = 1024) {
    this.allocate(initialCapacity);
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity);
    this.counts = new Uint16Array(capacity);
    this.weights = new Float32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.slots = new Int32Array(capacity);
    this.size = 0;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.used[this.slots[i]] = 0;
    this.size = 0;
  }

  /** Records one occurrence of feature `hash` with weight `w` (a repeated feature keeps its largest weight). */
  add(hash: number, w: number): void {
    if ((this.size + 1) * 2 > this.capacity) this.grow();
    let slot = fmix32(hash) & this.mask;
    while (this.used[slot] === 1) {
      if (this.keys[slot] === hash) {
        if (this.counts[slot] < 0xffff) this.counts[slot]++;
        if (w > this.weights[slot]) this.weights[slot] = w;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.used[slot] = 1;
    this.keys[slot] = hash;
    this.counts[slot] = 1;
    this.weights[slot] = w;
    this.slots[this.size++] = slot;
  }

  private grow(): void {
    const { keys, counts, weights, slots, size } = this;
    const oldSlots = slots.slice(0, size);
    this.allocate(this.capacity * 2);
    for (let i = 0; i < size; i++) {
      const s = oldSlots[i];
      let slot = fmix32(keys[s]) & this.mask;
      while (this.used[slot] === 1) slot = (slot + 1) & this.mask;
      this.used[slot] = 1;
      this.keys[slot] = keys[s];
      this.counts[slot] = counts[s];
      this.weights[slot] = weights[s];
      this.slots[this.size++] = slot;
    }
  }

  /** Adds every feature into `out` (a view of `dimension` floats) with signed hashing and 1 + ln(tf). */
  scatter(out: Float32Array, dimension: number): void {
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i];
      const h = fmix32(this.keys[slot] ^ 0x5bd1_e995);
      const index = (h & 0x7fff_ffff) % dimension;
      const count = this.counts[slot];
      const value = this.weights[slot] * (count === 1 ? 1 : 1 + Math.log(count));
      out[index] += h < 0 ? -value : value;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The embedder
// ---------------------------------------------------------------------------------------------

export interface LexicalEmbedderOptions {
  /** Cosine threshold reported as `defaultThreshold` (default LEXICAL_DEFAULT_THRESHOLD). */
  defaultThreshold?: number;
}

export class LexicalEmbedder implements Embedder {
  readonly id = LEXICAL_EMBEDDER_ID;
  readonly dimension = LEXICAL_DIMENSION;
  readonly defaultThreshold: number;
  /** ~25 µs a text here: 64 texts hold the thread ~2 ms (see Embedder.maxTextsPerCall). */
  readonly maxTextsPerCall = 64;

  private readonly table = new FeatureTable();
  private readonly words: string[] = [];
  private readonly content: string[] = [];
  private readonly stems: string[] = [];

  constructor(opts: LexicalEmbedderOptions = {}) {
    this.defaultThreshold = opts.defaultThreshold ?? LEXICAL_DEFAULT_THRESHOLD;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return this.embedSync(texts);
  }

  /** Synchronous variant of `embed` (same result); vectors are views into one buffer for the batch. */
  embedSync(texts: readonly string[]): Float32Array[] {
    return embedEach(texts, this.dimension, (text, out) => this.embedInto(text, out));
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  private embedInto(text: string, out: Float32Array): void {
    const { words, content, stems, table } = this;
    tokenize(normalise(text), words);
    if (words.length === 0) return; // zero vector

    content.length = 0;
    for (const w of words) if (!STOP_WORDS.has(w)) content.push(w);
    // A text made only of stop words still deserves a vector of its own.
    const source = content.length > 0 ? content : words;

    stems.length = 0;
    for (const w of source) stems.push(stem(w));

    table.clear();
    for (let i = 0; i < source.length; i++) {
      const s = stems[i];
      addProbes(table, fnvRange(SEED_UNIGRAM, s, 0, s.length), UNIGRAM_PROBES, UNIGRAM_WEIGHT);
      if (i > 0) {
        const p = stems[i - 1];
        let h = fnvRange(SEED_BIGRAM, p, 0, p.length);
        h = Math.imul(h ^ BIGRAM_SEPARATOR, FNV_PRIME);
        addProbes(table, fnvRange(h, s, 0, s.length), BIGRAM_PROBES, BIGRAM_WEIGHT);
      }
      addCharNgrams(table, source[i]);
    }

    table.scatter(out, this.dimension);
    l2normalize(out);
  }
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
