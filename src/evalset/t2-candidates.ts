import type { ProductMatch } from '../core/vector-store.js';
import type { CategoryIndex } from './category-index.js';
import type { Random } from './random.js';
import { recordId } from './record-id.js';
import type { NegativeKind, T2Origin, T2Record } from './types.js';

export interface T2Options {
  k: number;
  threshold: number;
  /** Negatives per positive (per step: round(ratio × positives)). */
  negativesPerPositive: number;
  /** Share of a step's negatives that are hard; the rest are easy. */
  hardFraction: number;
  /** Easy negatives in a catalog without categories must score below threshold − hardMargin. */
  hardMargin: number;
}

export interface StepRef {
  scriptId: string;
  objective: string | null;
  stepIndex: number;
  step: string;
}

export interface StepT2 {
  /** All records of the step in a random (seeded) order, so annotators do not see positives first. */
  records: T2Record[];
  /** Positives best first. */
  positives: T2Record[];
  hard: T2Record[];
  shortfall: { hard: number; easy: number };
}

/** Scores the given product ids against the step (see CandidateSearch.score). */
export type Scorer = (productIds: readonly string[]) => Promise<Map<string, ProductMatch>>;

/**
 * T2, step–product discrimination, for one step.
 * - Positives: the step's top-k products at or above the threshold.
 * - Hard negatives: products ranked just below the threshold (from the same search), and products
 *   of a positive's category sampled from the catalog; about half each, one source filling in
 *   for the other when it runs short. Every one scores below the threshold.
 * - Easy negatives: random products of categories no positive has (below the threshold); in a
 *   catalog without categories, random products scoring below threshold − hardMargin.
 * No product scoring at or above the threshold in the search (a positive, or one ranked beyond k)
 * is ever a negative, and no product appears twice for a step. Steps without positives give no
 * records: there is nothing to discriminate against.
 */
export async function t2ForStep(
  ref: StepRef,
  ranked: readonly ProductMatch[],
  index: CategoryIndex,
  random: Random,
  score: Scorer,
  options: T2Options,
): Promise<StepT2> {
  const { k, threshold } = options;
  const above = ranked.filter((m) => m.score >= threshold);
  const positiveMatches = above.slice(0, k);
  if (positiveMatches.length === 0) return { records: [], positives: [], hard: [], shortfall: { hard: 0, easy: 0 } };

  const record = (m: ProductMatch, origin: T2Origin, negativeKind: NegativeKind | null, rank: number | null): T2Record => ({
    id: recordId(['t2', ref.scriptId, ref.stepIndex, m.productId, origin]),
    task: 't2',
    scriptId: ref.scriptId,
    objective: ref.objective,
    stepIndex: ref.stepIndex,
    step: ref.step,
    productId: m.productId,
    title: m.title,
    category: m.category,
    score: m.score,
    matchedIntention: m.matched.text,
    origin,
    negativeKind,
    rank,
    silverLabel: origin === 'positive' ? 1 : 0,
  });

  const positives = positiveMatches.map((m, i) => record(m, 'positive', null, i + 1));
  const negatives = Math.round(options.negativesPerPositive * positives.length);
  const wantHard = Math.round(negatives * options.hardFraction);
  const wantEasy = negatives - wantHard;

  // Everything the search returned is excluded from sampling: above the threshold it must never be
  // a negative, and below it, it is already a "ranked" candidate.
  const taken = new Set(ranked.map((m) => m.productId));
  const rankedPool = ranked.flatMap((m, i) => (m.score < threshold ? [{ m, rank: i + 1 }] : []));
  const rankedPick = random.sample(rankedPool, wantHard);

  const positiveCodes = new Set(positives.map((p) => index.categoryCode(p.category)).filter((c) => c >= 0));
  const codes = [...positiveCodes].filter((c) => index.categorySize(c) > 0);
  const categoryIds = drawDistinct(wantHard ? 2 * wantHard + 2 : 0, taken, index, () => {
    if (codes.length === 0) return undefined;
    return index.randomInCategory(random, random.pick(codes));
  });
  const easyIds = drawDistinct(wantEasy ? 2 * wantEasy + 2 : 0, taken, index, () => {
    const i = index.randomProduct(random);
    if (!index.hasCategories) return i;
    const code = index.codeAt(i);
    return code >= 0 && !positiveCodes.has(code) ? i : undefined;
  });
  const scores = categoryIds.length + easyIds.length ? await score([...categoryIds, ...easyIds]) : new Map<string, ProductMatch>();
  const below = (ids: string[], limit: number) =>
    ids.flatMap((id) => {
      const m = scores.get(id);
      return m && m.score < limit ? [m] : [];
    });
  const categoryOk = below(categoryIds, threshold);
  const easyLimit = index.hasCategories ? threshold : threshold - options.hardMargin;
  const easyOk = below(easyIds, easyLimit).slice(0, wantEasy);

  let fromCategory = Math.min(wantHard - Math.ceil(wantHard / 2), categoryOk.length);
  const fromRanked = Math.min(wantHard - fromCategory, rankedPick.length);
  fromCategory = Math.min(wantHard - fromRanked, categoryOk.length);
  const hard = [
    ...rankedPick.slice(0, fromRanked).map(({ m, rank }) => record(m, 'hard', 'ranked', rank)),
    ...categoryOk.slice(0, fromCategory).map((m) => record(m, 'hard', 'category', null)),
  ];
  const easy = easyOk.map((m) => record(m, 'easy', index.hasCategories ? 'other-category' : 'far-below', null));
  return {
    records: random.shuffled([...positives, ...hard, ...easy]),
    positives,
    hard,
    shortfall: { hard: wantHard - hard.length, easy: wantEasy - easy.length },
  };
}

/**
 * Up to `n` distinct product ids from `draw` (which may decline with undefined), skipping `taken`
 * and adding what it returns to it. Bounded: a catalog with too few eligible products gives fewer.
 */
function drawDistinct(n: number, taken: Set<string>, index: CategoryIndex, draw: () => number | undefined): string[] {
  const out: string[] = [];
  for (let attempt = 0; attempt < n * 8 && out.length < n; attempt++) {
    const i = draw();
    if (i === undefined) continue;
    const id = index.idAt(i);
    if (taken.has(id)) continue;
    taken.add(id);
    out.push(id);
  }
  return out;
}
