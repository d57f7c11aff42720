import type { Random } from './random.js';
import { recordId } from './record-id.js';
import type { T2Record, T3Product, T3Record, T3Step } from './types.js';

export interface T3StepInput {
  stepIndex: number;
  step: string;
  /** The step's T2 positives, best first. */
  positives: readonly T2Record[];
  /** The step's T2 hard negatives. */
  hard: readonly T2Record[];
}

/**
 * T3, script–products verification, for one script.
 * Positive: each step with its best `perStep` aligned products (steps no product serves keep an
 * empty list; a script where no step has a product gives nothing). Negatives: up to `negatives`
 * copies in which exactly one product of one step is swapped for one of that step's hard
 * negatives (distinct swaps, chosen at random), so the set looks plausible but one step is not served.
 */
export function t3Records(
  scriptId: string,
  objective: string | null,
  steps: readonly T3StepInput[],
  perStep: number,
  negatives: number,
  random: Random,
): T3Record[] {
  const product = (r: T2Record): T3Product => ({ productId: r.productId, title: r.title, score: r.score });
  const base: T3Step[] = steps.map((s) => ({ stepIndex: s.stepIndex, step: s.step, products: s.positives.slice(0, perStep).map(product) }));
  if (base.every((s) => s.products.length === 0)) return [];
  const positiveKey = base.map((s) => [s.stepIndex, ...s.products.map((p) => p.productId)]);
  const out: T3Record[] = [
    {
      id: recordId(['t3', scriptId, 'positive', JSON.stringify(positiveKey)]),
      task: 't3',
      scriptId,
      objective,
      steps: base,
      silverLabel: 1,
      origin: 'positive',
      swap: null,
    },
  ];
  const options = steps.flatMap((s, i) => (base[i].products.length ? s.hard.map((h) => ({ i, h })) : []));
  for (const { i, h } of random.sample(options, negatives)) {
    const slot = random.int(base[i].products.length);
    const removed = base[i].products[slot];
    const swapped = base.map((s, j) => (j === i ? { ...s, products: s.products.map((p, q) => (q === slot ? product(h) : p)) } : s));
    const swap = {
      stepIndex: base[i].stepIndex,
      removedProductId: removed.productId,
      insertedProductId: h.productId,
      negativeKind: h.negativeKind!,
    };
    out.push({
      id: recordId(['t3', scriptId, 'swapped', swap.stepIndex, swap.removedProductId, swap.insertedProductId]),
      task: 't3',
      scriptId,
      objective,
      steps: swapped,
      silverLabel: 0,
      origin: 'swapped',
      swap,
    });
  }
  return random.shuffled(out);
}
