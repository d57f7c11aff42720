import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { groupByStep, type LabelledPair } from '../../../src/app/calibrate/labelled-pairs.js';

/** The obvious grouping, quadratic on purpose: for each distinct step in first-seen order, filter the pairs. */
function bruteForce(labels: readonly LabelledPair[]): [string, LabelledPair[]][] {
  const steps: string[] = [];
  for (const l of labels) if (!steps.includes(l.step)) steps.push(l.step);
  return steps.map((step) => [step, labels.filter((l) => l.step === step)]);
}

const pair = fc.record({
  line: fc.nat(),
  // Few distinct steps, so most steps hold several pairs.
  step: fc.constantFrom('Pitch the tent', 'Light the stove', 'Boil water', 'Pack the bag'),
  productId: fc.string({ minLength: 1, maxLength: 8 }),
  label: fc.boolean(),
});

it('groups labelled pairs by step as a brute-force grouping does: steps in first-seen order, pairs in file order', () => {
  fc.assert(
    fc.property(fc.array(pair, { maxLength: 60 }), (labels) => {
      assert.deepEqual([...groupByStep(labels).entries()], bruteForce(labels));
    }),
  );
});

it('keeps every pair of a step, each once and the same object', () => {
  const labels = Array.from({ length: 5000 }, (_, i) => ({ line: i + 1, step: 'Pitch the tent', productId: `p${i}`, label: i % 2 === 0 }));
  const groups = groupByStep(labels);
  assert.equal(groups.size, 1);
  const pairs = groups.get('Pitch the tent')!;
  assert.equal(pairs.length, labels.length);
  assert.ok(pairs.every((p, i) => p === labels[i]));
});
