/**
 * Aggregation recall of the retriever's candidate pool (src/align/scoring/retriever.ts): under
 * mean or top-m with semantic retrieval the aligner re-scores only the store's `pool` best products
 * by max. How often does that pool miss a product an exhaustive mean (top-m) over every product of
 * the catalog would put in the top k? And what does each pool size cost per step against max?
 */
import type { Aggregation } from '../../src/align/scoring/aggregate.js';
import { aggregate } from '../../src/align/scoring/aggregate.js';
import { candidatePool } from '../../src/align/scoring/retriever.js';
import type { Embedder } from '../../src/core/embedder.js';
import { cosine } from '../../src/core/vector-math.js';
import { kindsFor, type MatchMode, type StoredText } from '../../src/core/vector-store.js';
import type { BenchStore } from './quality-store.js';
import { scoringOf } from './quality-metrics.js';

export interface PoolRow {
  aggregate: Aggregation;
  threshold: number;
  /** Pool size; `default` marks candidatePool(k). */
  pool: number;
  isDefault: boolean;
  /** Mean over steps with a non-empty exhaustive top k of |retrieved ∩ exhaustive| / |exhaustive|. */
  recall: number;
  /** Steps whose retrieved top k misses at least one exhaustive top-k product. */
  stepsMissing: number;
  /** Steps where more than `pool` products clear the threshold by max (only there can the pool be short). */
  stepsOverPool: number;
  /** Steps with a non-empty exhaustive top k (the recall's denominator). */
  steps: number;
  microsPerStep: number;
  /** microsPerStep over max's (semantic, same k and threshold). */
  ratioToMax: number;
}

export interface PoolResult {
  k: number;
  match: MatchMode;
  steps: number;
  products: number;
  defaultPool: number;
  maxMicrosPerStep: Record<string, number>;
  rows: PoolRow[];
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function allTexts(bench: BenchStore, match: MatchMode): Promise<Map<string, StoredText[]>> {
  const ids: string[] = [];
  for (let after: string | undefined; ;) {
    const page = await bench.store.listProducts({ after, limit: 500 });
    if (!page.length) break;
    ids.push(...page.map((p) => p.id));
    after = page[page.length - 1].id;
  }
  return bench.store.productTexts(ids, kindsFor(match));
}

/**
 * Median of `reps` timings of each fn, in microseconds, in interleaved rounds (every fn once per
 * round) so that a shared machine's load drifting during the run weighs on all of them alike.
 */
async function timeInterleaved(reps: number, fns: readonly (() => Promise<unknown>)[]): Promise<number[]> {
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < fns.length; i++) {
      const t0 = process.hrtime.bigint();
      await fns[i]();
      times[i].push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
}

export async function poolRecall(
  bench: BenchStore,
  embedder: Embedder,
  steps: readonly string[],
  opts: { k: number; match: MatchMode; reps: number },
): Promise<PoolResult> {
  const { k, match } = opts;
  const texts = await allTexts(bench, match);
  const vectors = await embedder.embed(steps);
  const defaultPool = candidatePool(k);
  const pools = [...new Set([defaultPool, k, 2 * k, 5 * k, 10 * k])].sort((a, b) => a - b);
  const rows: PoolRow[] = [];
  const maxMicrosPerStep: Record<string, number> = {};
  const script = [{ steps }];
  for (const agg of ['mean', 'topm'] as const) {
    const scoring = scoringOf(agg, 'semantic');
    for (const threshold of [bench.aligner.thresholds[agg], -1]) {
      // Products clearing the threshold by max, per step: the pool can only be short where it is exceeded.
      const clearingByMax = vectors.map(
        (q) =>
          [...texts.values()].filter(
            (ts) =>
              aggregate(
                ts.map((t) => cosine(q, t.vector)),
                'max',
              ) >= threshold,
          ).length,
      );
      // The exhaustive oracle: every product's texts of the match's kinds, aggregated as the domain does.
      const exhaustive = vectors.map((q) =>
        [...texts.entries()]
          .map(([id, ts]) => ({
            id,
            score: aggregate(
              ts.map((t) => cosine(q, t.vector)),
              agg,
              scoring.m,
            ),
          }))
          .filter((s) => s.score >= threshold)
          .sort((a, b) => b.score - a.score || compareIds(a.id, b.id))
          .slice(0, k)
          .map((s) => s.id),
      );
      const runMax = () => bench.aligner.align(script, { k, threshold, match });
      const runs = pools.map((pool) => () => bench.aligner.align(script, { k, threshold, match, scoring, pool }));
      await runMax(); // warm-up
      const [maxMicros, ...poolMicros] = (await timeInterleaved(opts.reps, [runMax, ...runs])).map((us) => us / steps.length);
      maxMicrosPerStep[`${agg} at ${threshold}`] = maxMicros;
      for (const [p, pool] of pools.entries()) {
        const result = await runs[p]();
        let recall = 0;
        let counted = 0;
        let stepsMissing = 0;
        exhaustive.forEach((want, i) => {
          if (!want.length) return;
          const got = new Set(result.scripts[0][i].products.map((p) => p.productId));
          const found = want.filter((id) => got.has(id)).length;
          recall += found / want.length;
          counted++;
          if (found < want.length) stepsMissing++;
        });
        const stepsOverPool = clearingByMax.filter((n) => n > pool).length;
        const micros = poolMicros[p];
        rows.push({
          aggregate: agg,
          threshold,
          pool,
          isDefault: pool === defaultPool,
          recall: counted ? recall / counted : Number.NaN,
          stepsMissing,
          stepsOverPool,
          steps: counted,
          microsPerStep: micros,
          ratioToMax: micros / maxMicros,
        });
      }
    }
  }
  return { k, match, steps: steps.length, products: texts.size, defaultPool, maxMicrosPerStep, rows };
}
