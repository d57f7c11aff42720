/**
 * Turning ranked text hits into ranked products: the heart of the alignment.
 *
 * A product's score for a step is the best cosine similarity among its texts. An index returns
 * texts, not products, so one product with many near-identical intentions can crowd the top of
 * the list. We therefore walk the ranked texts, keep the first (= best) hit per product, and ask
 * the source for a deeper list whenever we run out before finding k products above the threshold.
 * Given an exact source this is exactly the brute-force answer; given an approximate one it is
 * that answer up to the index's recall.
 */

export interface TextHit {
  /** Internal product number (dense, assigned by the store). */
  product: number;
  /** Internal text label, used to fetch the matched text afterwards. */
  label: number;
  score: number;
}

export interface RankedHits {
  /** Hits sorted by descending score; may be fewer than asked for when the source drops some. */
  hits: readonly TextHit[];
  /** True when the source had no more hits to give (the list is complete). */
  exhausted: boolean;
}

/** Something that can return its n best text hits for one query. */
export type HitSource = (n: number) => RankedHits;

export interface TopProductsOptions {
  k: number;
  threshold: number;
  /** Products failing this predicate are skipped (filters). */
  accept?: (product: number) => boolean;
  /** First depth to ask for; grows by `growth` each round. */
  initialDepth?: number;
  growth?: number;
  /** Upper bound on depth; the search stops there even if fewer than k products were found. */
  maxDepth?: number;
}

export interface TopProductsResult {
  products: TextHit[];
  /** Depth of the last search performed; reported in metrics and used by tests. */
  depth: number;
  rounds: number;
}

export function topProducts(source: HitSource, options: TopProductsOptions): TopProductsResult {
  const { k, threshold, accept } = options;
  const growth = Math.max(2, options.growth ?? 4);
  const maxDepth = options.maxDepth ?? Number.MAX_SAFE_INTEGER;
  let depth = Math.min(maxDepth, Math.max(k, options.initialDepth ?? k * 4));
  let rounds = 0;
  for (;;) {
    rounds++;
    const { hits, exhausted } = source(depth);
    const best = new Map<number, TextHit>();
    let belowThreshold = false;
    for (const hit of hits) {
      if (hit.score < threshold) {
        belowThreshold = true;
        break;
      }
      if (best.has(hit.product)) continue;
      if (accept && !accept(hit.product)) continue;
      best.set(hit.product, hit);
      if (best.size === k) break;
    }
    // Done when: k products found, the scores fell below the threshold (deeper hits only score
    // lower), the source is exhausted, or we hit the depth cap. A list shorter than asked for is
    // not the end by itself: the source may have dropped hits (texts removed from the catalog that
    // the index has not yet removed), and only it knows whether there is more.
    if (best.size === k || belowThreshold || exhausted || depth >= maxDepth) {
      return { products: [...best.values()], depth, rounds };
    }
    depth = Math.min(maxDepth, depth * growth);
  }
}

/**
 * Merges per-source top-k product lists (e.g. one per text kind) into one top-k list where each
 * product keeps its best hit. Correct because a product in the true top-k of the union must be in
 * the top-k of the source that gives its best score.
 */
export function mergeTopProducts(lists: readonly (readonly TextHit[])[], k: number): TextHit[] {
  const best = new Map<number, TextHit>();
  for (const list of lists) {
    for (const hit of list) {
      const seen = best.get(hit.product);
      if (!seen || hit.score > seen.score) best.set(hit.product, hit);
    }
  }
  return [...best.values()].sort(compareHits).slice(0, k);
}

/** The top k products over several text kinds: each kind's list from `perKind`, merged. */
export function topProductsOverKinds<Kind>(kinds: readonly Kind[], k: number, perKind: (kind: Kind) => TextHit[]): TextHit[] {
  const lists = kinds.map(perKind);
  return lists.length === 1 ? lists[0] : mergeTopProducts(lists, k);
}

/** Descending score; ties broken by product number so results are deterministic. */
export function compareHits(a: TextHit, b: TextHit): number {
  return b.score - a.score || a.product - b.product;
}
