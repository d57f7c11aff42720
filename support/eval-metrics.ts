/**
 * Scores an embedder on the evaluation sets the way the service ranks products: a product's score
 * for a step is the cosine of its best-matching intention.
 */
import type { Embedder } from '../src/core/embedder.js';
import { dot } from '../src/core/vector-math.js';
import type { CatalogProduct, FourWayQuestion, RetrievalQuery } from './eval-sets.js';

export interface ProductVectors {
  ids: string[];
  /** Per product, its intentions' vectors. */
  vectors: Float32Array[][];
}

export async function embedCatalog(embedder: Embedder, catalog: CatalogProduct[]): Promise<ProductVectors> {
  const texts = catalog.flatMap((p) => p.intentions);
  const flat = await embedder.embed(texts);
  const vectors: Float32Array[][] = [];
  let k = 0;
  for (const p of catalog) {
    vectors.push(flat.slice(k, k + p.intentions.length));
    k += p.intentions.length;
  }
  return { ids: catalog.map((p) => p.id), vectors };
}

export function productScore(step: Float32Array, intentions: Float32Array[]): number {
  let best = -Infinity;
  for (const v of intentions) best = Math.max(best, dot(step, v));
  return best;
}

export interface FourWayResult {
  questions: number;
  accuracy: number;
  /** Scores of the right products and of the distractors (threshold calibration). */
  positives: number[];
  negatives: number[];
}

export async function fourWay(embedder: Embedder, products: ProductVectors, questions: FourWayQuestion[]): Promise<FourWayResult> {
  const index = new Map(products.ids.map((id, i) => [id, i]));
  const steps = await embedder.embed(questions.map((q) => q.step));
  let correct = 0;
  const positives: number[] = [];
  const negatives: number[] = [];
  questions.forEach((q, i) => {
    const scores = q.options.map((id) => productScore(steps[i], products.vectors[index.get(id)!]));
    const answerScore = scores[q.options.indexOf(q.answer)];
    // Ties count against the embedder: the right answer must beat every distractor.
    if (scores.every((s, k) => q.options[k] === q.answer || s < answerScore)) correct++;
    scores.forEach((s, k) => (q.options[k] === q.answer ? positives : negatives).push(s));
  });
  return { questions: questions.length, accuracy: correct / questions.length, positives, negatives };
}

export interface RetrievalResult {
  queries: number;
  recallAt5: number;
  recallAt10: number;
  mrr: number;
}

/** Recall@k = share of a step's relevant products in its top k (averaged over steps); MRR of the first relevant product. */
export async function retrieval(embedder: Embedder, products: ProductVectors, queries: RetrievalQuery[]): Promise<RetrievalResult> {
  const steps = await embedder.embed(queries.map((q) => q.step));
  let r5 = 0;
  let r10 = 0;
  let mrr = 0;
  queries.forEach((q, i) => {
    const ranked = products.ids
      .map((id, p) => ({ id, score: productScore(steps[i], products.vectors[p]) }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const relevant = new Set(q.relevant);
    const hits = (k: number) => ranked.slice(0, k).filter((r) => relevant.has(r.id)).length;
    r5 += hits(5) / relevant.size;
    r10 += hits(10) / relevant.size;
    const first = ranked.findIndex((r) => relevant.has(r.id));
    mrr += first >= 0 ? 1 / (first + 1) : 0;
  });
  const n = queries.length;
  return { queries: n, recallAt5: r5 / n, recallAt10: r10 / n, mrr: mrr / n };
}
