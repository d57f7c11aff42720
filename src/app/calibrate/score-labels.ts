import { Retriever } from '../../align/scoring/retriever.js';
import type { Scoring } from '../../align/scoring/scoring.js';
import type { ScoredLabel } from '../../calibration/calibration.js';
import type { SkippedLabel } from '../../calibration/report-md.js';
import type { Embedder } from '../../core/embedder.js';
import type { VectorStore } from '../../core/vector-store.js';
import { exactScores } from '../../evalset/exact-scores.js';
import { Progress, type ProgressSink } from '../../util/progress.js';
import type { LabelledPair } from './labelled-pairs.js';

/** Steps embedded and searched together: one embedder batch, and the step vectors held at once. */
const STEPS_PER_CHUNK = 256;

/** The labelled pairs as one scoring scores them. */
export interface ScoredPairs {
  items: ScoredLabel[];
  /** Pairs that could not be scored, in file order. */
  skipped: SkippedLabel[];
  /** Each labelled step's best scores (up to perStepK, at or above `lowestThreshold`). */
  stepScores: number[][];
}

export interface ScoreOptions extends ProgressSink {
  /** Products per step counted for the products-per-step curve (the store search's k). */
  perStepK: number;
  /** The lowest threshold swept: scores below it count for no step. */
  lowestThreshold: number;
}

/**
 * The score step of calibration: every labelled (step, product) pair scored exactly under each
 * scoring, through the aligner's own retrieval and re-scoring (exact-scores.ts), and each step's
 * best products found as alignment finds them. Pairs whose product is not in the store, or has no
 * intentions, are skipped with the reason.
 */
export async function scoreLabels(
  embedder: Embedder,
  store: VectorStore,
  byStep: ReadonlyMap<string, readonly LabelledPair[]>,
  scorings: readonly Scoring[],
  options: ScoreOptions,
): Promise<ScoredPairs[]> {
  const steps = [...byStep.keys()];
  const progress = new Progress({
    label: 'calibrate',
    total: steps.length,
    itemName: 'steps',
    stream: options.stderr,
    plainIntervalMs: options.plainIntervalMs,
  });
  const retriever = new Retriever(store);
  const scored: ScoredPairs[] = scorings.map(() => ({ items: [], skipped: [], stepScores: [] }));
  const whyUnscored = skipReasons(store);
  try {
    for (let i = 0; i < steps.length; i += STEPS_PER_CHUNK) {
      const chunk = steps.slice(i, i + STEPS_PER_CHUNK);
      // Lexical retrieval reads no vector of the step: it is not embedded.
      const vectors = scorings.every((s) => s.retrieval === 'lexical') ? undefined : await embedder.embed(chunk);
      for (const [si, scoring] of scorings.entries()) {
        const out = scored[si];
        const query = { k: options.perStepK, threshold: options.lowestThreshold, match: 'intentions', scoring } as const;
        const top = await retriever.retrieve(chunk, vectors, query);
        out.stepScores.push(...top.map((matches) => matches.map((m) => m.score)));
        for (const [j, step] of chunk.entries()) {
          const pairs = byStep.get(step)!;
          const ids = [...new Set(pairs.map((p) => p.productId))];
          const scores = await exactScores(store, { text: step, vector: vectors?.[j] }, ids, scoring);
          for (const p of pairs) {
            const score = scores.get(p.productId)?.score;
            if (score !== undefined) out.items.push({ score, label: p.label });
            else out.skipped.push({ line: p.line, productId: p.productId, reason: await whyUnscored(p.productId) });
          }
        }
      }
      progress.update(chunk.length, chunk.length);
    }
  } finally {
    progress.finish();
  }
  for (const s of scored) s.skipped.sort((a, b) => a.line - b.line);
  return scored;
}

/** Why a pair got no score: its product is missing, or has no intentions (each product asked once). */
function skipReasons(store: VectorStore): (productId: string) => Promise<string> {
  const exists = new Map<string, boolean>();
  return async (productId) => {
    if (!exists.has(productId)) exists.set(productId, (await store.get(productId)) !== undefined);
    return exists.get(productId) ? 'the product has no intentions to score' : 'no such product in the store';
  };
}
