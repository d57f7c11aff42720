/**
 * Every setting that shapes the WordNet embedder's vectors. The embedder id names this version;
 * the word-table cache file is keyed by a hash of these values, so changing one rebuilds the
 * table (and must come with a new EMBEDDER id when vectors already stored would change).
 * Values were chosen on the tuning splits only (data/eval/fourway-tuning.jsonl, noshare-fourway-tuning.jsonl) (see docs/wordnet-embedder.md).
 */
import { createHash } from 'node:crypto';

/**
 * v1: first release. v2: second-order glosses and gloss back-links (relatedGloss, glossBacklink), chosen on
 * the tuning splits of both evaluation sets; v1 vectors are not interchangeable with v2 ones.
 */
export const WORDNET_EMBEDDER_ID = 'wordnet-384-v2';
export const WORDNET_DIMENSION = 384;

export interface WordNetParams {
  dimension: number;
  /** Sense weight = tag count + senseRankPrior / rank (rank from 1), normalised over the lemma's senses. */
  senseRankPrior: number;
  /** Weight of the sense's own synset feature. */
  synset: number;
  /** Weight of the lemma's own word feature (what makes exact matches count). */
  selfWord: number;
  /** Weight of the other words of each sense's synset (synonyms). */
  synonymWord: number;
  /** Per-level decay of hypernym features; `hypernymLevels` levels are followed. */
  hypernym: number;
  hypernymLevels: number;
  partWhole: number;
  derivation: number;
  domain: number;
  similar: number;
  entailment: number;
  /** Weight of a related synset's member words, relative to the relation's weight. */
  relatedWords: number;
  /** Total weight of a sense's definition words (each word's share proportional to its gloss IDF). */
  gloss: number;
  /**
   * Second-order glosses: the definition words of each sense's related synsets (its first-level hypernyms
   * and its part/whole, derivation, topic-domain, similar and entailment neighbours), one block of
   * gloss x relatedGloss per sense split 1/sqrt(n) over them: a word is also described by what its
   * neighbours are defined with (v2).
   */
  relatedGloss: number;
  /**
   * Gloss back-links: the synsets whose definitions use the lemma ("barbecue" (n): "a rack to hold meat
   * for cooking over hot charcoal" is a back-link of "charcoal"), one block of this total weight split
   * 1/sqrt(n) over them (synset plus member words), scaled by the lemma's gloss IDF relative to the
   * maximum, so common words spread thin (v2).
   */
  glossBacklink: number;
  /** Exponent on synset information content (1 - depth-like specificity in [0, 1]) for synset features. */
  icExponent: number;
  /** Query-time token weight = max(idfFloor, gloss IDF) ^ idfExponent. */
  idfExponent: number;
  idfFloor: number;
  /** Tokens WordNet does not know (brands, model numbers) count as this multiple of the maximum IDF weight. */
  unknownWeight: number;
  /** Part-of-speech mix for a word: (tag count of its senses + posPrior) per part of speech. */
  posPrior: number;
}

export const DEFAULT_WORDNET_PARAMS: Readonly<WordNetParams> = Object.freeze({
  dimension: WORDNET_DIMENSION,
  senseRankPrior: 1,
  synset: 1,
  selfWord: 1,
  synonymWord: 0.5,
  hypernym: 0.7,
  hypernymLevels: 2,
  partWhole: 0.4,
  derivation: 1,
  domain: 0.5,
  similar: 0.4,
  entailment: 0.4,
  relatedWords: 1,
  gloss: 1,
  relatedGloss: 0.7,
  glossBacklink: 0.3,
  icExponent: 1,
  idfExponent: 0.6,
  idfFloor: 0.1,
  unknownWeight: 0.8,
  posPrior: 1,
});

/**
 * Calibrated cosine threshold: `npx tsx scripts/wordnet-calibrate.ts` on the two tuning splits pooled (overlap and
 * no shared word; 112 right products, 336 distractors) puts the best balanced accuracy among thresholds that let at most
 * 5 % of distractors through at 0.30 (48 % of right products at or above, 4 % of distractors); on the sample scripts that
 * returns 7.0 products per step and leaves 6 % of steps empty. (Unconstrained, the optimum is 0.13, at 64 products per step.)
 */
export const WORDNET_DEFAULT_THRESHOLD = 0.3;

/**
 * Thresholds under mean and top-m (m = 3): where a step gets as many products on average as under
 * max at 0.30 (7.0 on the sample data), measured with `npx tsx scripts/aggregate-thresholds.ts`
 * (0.125 and 0.168).
 */
export const WORDNET_AGGREGATE_THRESHOLDS = { mean: 0.125, topm: 0.17 };

/** Short stable hash of the parameters, part of the cache file name. */
export function paramsHash(params: WordNetParams, tableFormatVersion: number): string {
  const ordered = Object.keys(params)
    .sort()
    .map((k) => [k, params[k as keyof WordNetParams]]);
  return createHash('sha256').update(JSON.stringify({ ordered, tableFormatVersion })).digest('hex').slice(0, 16);
}
