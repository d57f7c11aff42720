/**
 * BM25 scores are unbounded and grow with a word's rarity, so before they meet cosines or a
 * threshold they are mapped to [0, 1) by saturation: s / (s + HALF), monotone, so BM25's ranking
 * is kept, and 0.5 exactly where BM25 reaches HALF.
 *
 * HALF = 8: on the IntentionQA catalog (1,710 products, 3,216 texts) the best text of a query
 * scores a median BM25 of 6.9 over titles only and 10.3 over titles and intentions with the query's
 * own clause held out (bench/results/quality.md), so the best lexical match of a typical query
 * lands near 0.5 and a match on one common word near 0.1–0.2. Rarer words in a larger catalog
 * score higher (IDF is ln of the catalog size over the word's count), which is why `calibrate`
 * sweeps lexical and hybrid thresholds like any other: recalibrate per catalog.
 */
export const LEXICAL_HALF_SCORE = 8;

export function lexicalScale(bm25: number): number {
  return bm25 > 0 ? bm25 / (bm25 + LEXICAL_HALF_SCORE) : 0;
}
