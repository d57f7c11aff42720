/**
 * How much each sense of a lemma counts: its tag count in the semantic concordances (index.sense)
 * plus a prior that decays with WordNet's sense rank, so untagged senses keep a small share in
 * WordNet's order and a lemma with no tagged sense at all spreads over its senses, first ones first.
 * Returns weights summing to 1.
 */
export function senseWeights(tagCounts: ArrayLike<number>, rankPrior: number): Float64Array {
  const n = tagCounts.length;
  const w = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    w[r] = tagCounts[r] + rankPrior / (r + 1);
    sum += w[r];
  }
  for (let r = 0; r < n && sum > 0; r++) w[r] /= sum;
  return w;
}
