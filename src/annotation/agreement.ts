/**
 * Agreement arithmetic for human labels: majority vote per item, Fleiss' κ over items, Cohen's κ
 * between two annotators. Pure: no I/O. Labels are binary (1 = yes / helps, 0 = no) as the
 * annotation tool collects them, but κ is computed over any number of categories.
 */

export type BinaryLabel = 0 | 1;

export interface MajorityVote {
  /** The label most votes went to, or 'tie' when both got as many. */
  label: BinaryLabel | 'tie';
  votes: number;
  ones: number;
  /** Share of the votes that agree with the majority (0.5 for a tie). */
  agreement: number;
}

export function majorityVote(labels: readonly BinaryLabel[]): MajorityVote {
  if (labels.length === 0) throw new RangeError('majorityVote needs at least one label');
  const ones = labels.filter((l) => l === 1).length;
  const zeros = labels.length - ones;
  const label = ones === zeros ? 'tie' : ones > zeros ? 1 : 0;
  return { label, votes: labels.length, ones, agreement: Math.max(ones, zeros) / labels.length };
}

/**
 * Fleiss' κ from per-item category counts (`counts[i][j]` = raters who put item i in category j).
 * Items may have different numbers of raters (each needs ≥ 2): an item's agreement P_i is the
 * share of agreeing rater pairs, P̄ their mean, and chance agreement P̄e = Σ p_j² with p_j the share
 * of all ratings in category j. With equal raters per item this is Fleiss (1971) exactly.
 * null when undefined: no items, or every rating in one category (P̄e = 1).
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  const rated = counts.filter((row) => sum(row) >= 2);
  if (rated.length === 0) return null;
  const categories = Math.max(...rated.map((row) => row.length));
  const totals = new Array<number>(categories).fill(0);
  let ratings = 0;
  let agreement = 0;
  for (const row of rated) {
    const n = sum(row);
    ratings += n;
    row.forEach((c, j) => (totals[j] += c));
    agreement += (sum(row.map((c) => c * c)) - n) / (n * (n - 1));
  }
  const observed = agreement / rated.length;
  const chance = sum(totals.map((t) => (t / ratings) ** 2));
  return chance >= 1 ? null : (observed - chance) / (1 - chance);
}

/**
 * Cohen's κ for two annotators over the items both labelled (pairs of labels, one per item).
 * null when undefined: no items, or both always gave the same one label (chance agreement 1).
 */
export function cohenKappa(pairs: readonly (readonly [BinaryLabel, BinaryLabel])[]): number | null {
  if (pairs.length === 0) return null;
  const n = pairs.length;
  const observed = pairs.filter(([a, b]) => a === b).length / n;
  const aOnes = pairs.filter(([a]) => a === 1).length / n;
  const bOnes = pairs.filter(([, b]) => b === 1).length / n;
  const chance = aOnes * bOnes + (1 - aOnes) * (1 - bOnes);
  return chance >= 1 ? null : (observed - chance) / (1 - chance);
}

export interface ItemLabel {
  itemId: string;
  annotator: string;
  label: BinaryLabel;
}

export interface PairwiseKappa {
  a: string;
  b: string;
  /** Items both annotators labelled. */
  items: number;
  kappa: number | null;
}

export interface AgreementSummary {
  /** Items with at least two labels (the only ones agreement can be measured on). */
  items: number;
  /** Annotators who labelled at least one of those items. */
  annotators: number;
  fleissKappa: number | null;
  /** Every pair of annotators with at least one item in common, names in order. */
  pairwiseCohenKappa: PairwiseKappa[];
}

/** Fleiss' κ and pairwise Cohen's κ over a task's labels (one label per annotator and item). */
export function agreementSummary(labels: readonly ItemLabel[]): AgreementSummary {
  const byItem = new Map<string, Map<string, BinaryLabel>>();
  for (const l of labels) {
    let item = byItem.get(l.itemId);
    if (!item) byItem.set(l.itemId, (item = new Map<string, BinaryLabel>()));
    item.set(l.annotator, l.label);
  }
  const multi = [...byItem.values()].filter((item) => item.size >= 2);
  const annotators = [...new Set(multi.flatMap((item) => [...item.keys()]))].sort();
  const pairwise: PairwiseKappa[] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const [a, b] = [annotators[i], annotators[j]];
      const pairs = multi.flatMap((item) => (item.has(a) && item.has(b) ? [[item.get(a)!, item.get(b)!] as const] : []));
      if (pairs.length) pairwise.push({ a, b, items: pairs.length, kappa: cohenKappa(pairs) });
    }
  }
  const counts = multi.map((item) => {
    const ones = [...item.values()].filter((l) => l === 1).length;
    return [item.size - ones, ones];
  });
  return { items: multi.length, annotators: annotators.length, fleissKappa: fleissKappa(counts), pairwiseCohenKappa: pairwise };
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
