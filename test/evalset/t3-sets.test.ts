import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { T2Record, T3Record } from '../../src/evalset/types.js';
import { build, groupBy } from './build-helper.js';
import { sampleStore } from './sample-store.js';

describe('T3 script–product sets', () => {
  let s: Awaited<ReturnType<typeof sampleStore>>;
  let t2: T2Record[];
  let t3: T3Record[];
  before(async () => {
    s = await sampleStore();
    ({ t2, t3 } = await build(s, 't3', { t3ProductsPerStep: 2 }));
  });
  after(() => s.close());

  it('takes each step’s best aligned products as the positive set', () => {
    const positives = t3.filter((r) => r.origin === 'positive');
    assert.ok(positives.length > 20);
    for (const p of positives) {
      for (const step of p.steps) {
        const expected = t2
          .filter((r) => r.scriptId === p.scriptId && r.stepIndex === step.stepIndex && r.origin === 'positive')
          .sort((a, b) => a.rank! - b.rank!)
          .slice(0, 2);
        assert.deepEqual(
          step.products.map((x) => x.productId),
          expected.map((e) => e.productId),
        );
      }
    }
  });

  it('makes each negative by swapping exactly one product for a hard negative of that step', () => {
    const byScript = groupBy(t3, (r) => r.scriptId);
    let negatives = 0;
    for (const records of byScript.values()) {
      const positive = records.find((r) => r.origin === 'positive')!;
      for (const neg of records.filter((r) => r.origin === 'swapped')) {
        negatives++;
        assert.equal(neg.silverLabel, 0);
        const differences: string[] = [];
        neg.steps.forEach((step, i) => {
          assert.equal(step.step, positive.steps[i].step);
          step.products.forEach((p, j) => {
            if (p.productId !== positive.steps[i].products[j].productId)
              differences.push(`${step.stepIndex}:${positive.steps[i].products[j].productId}->${p.productId}`);
          });
        });
        assert.deepEqual(differences, [`${neg.swap!.stepIndex}:${neg.swap!.removedProductId}->${neg.swap!.insertedProductId}`]);
        const hard = t2.find(
          (r) => r.scriptId === neg.scriptId && r.stepIndex === neg.swap!.stepIndex && r.productId === neg.swap!.insertedProductId,
        );
        assert.equal(hard?.origin, 'hard', 'the inserted product is a hard negative of that step');
      }
      assert.equal(new Set(records.map((r) => r.id)).size, records.length);
    }
    assert.ok(negatives > 20);
  });
});
