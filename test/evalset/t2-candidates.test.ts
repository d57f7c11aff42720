import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { T2Record } from '../../src/evalset/types.js';
import { build, DEFAULTS, groupBy } from './build-helper.js';
import { sampleScripts, sampleStore } from './sample-store.js';

describe('T2 step–product candidates on the sample catalog', () => {
  let s: Awaited<ReturnType<typeof sampleStore>>;
  let t2: T2Record[];
  const { threshold, hardMargin, k } = DEFAULTS;
  before(async () => {
    s = await sampleStore();
    t2 = (await build(s, 'default')).t2;
  });
  after(() => s.close());

  it('makes positives, hard and easy negatives, with unique ids', () => {
    const origins = new Set(t2.map((r) => r.origin));
    assert.deepEqual([...origins].sort(), ['easy', 'hard', 'positive']);
    assert.equal(new Set(t2.map((r) => r.id)).size, t2.length, 'no duplicate ids');
    assert.equal(new Set(t2.map((r) => `${r.scriptId}|${r.stepIndex}|${r.productId}`)).size, t2.length, 'a product at most once per step');
  });

  it('takes as positives exactly what the aligner returns for (k, threshold)', async () => {
    const scripts = sampleScripts();
    const aligned = await s.aligner.align(scripts, { k, threshold, match: 'intentions' });
    const steps = groupBy(t2, (r) => `${r.scriptId}|${r.stepIndex}`);
    scripts.forEach((script, i) => {
      aligned.scripts[i].forEach((step) => {
        // Exact ties (products sharing an intention text) may come in either order.
        const order = (a: { score: number; productId: string }, b: { score: number; productId: string }) =>
          b.score - a.score || (a.productId < b.productId ? -1 : 1);
        const positives = (steps.get(`${script.id}|${step.index}`) ?? []).filter((r) => r.origin === 'positive').sort(order);
        assert.deepEqual(
          positives.map((p) => p.productId),
          [...step.products].sort(order).map((p) => p.productId),
          `${script.id} step ${step.index}`,
        );
      });
    });
  });

  it('never uses a product at or above the threshold as a negative for the same step', async () => {
    const scripts = sampleScripts();
    const wide = await s.aligner.align(scripts, { k: 100, threshold, match: 'intentions' });
    const aboveByStep = new Map<string, Set<string>>();
    scripts.forEach((script, i) =>
      wide.scripts[i].forEach((st) => aboveByStep.set(`${script.id}|${st.index}`, new Set(st.products.map((p) => p.productId)))),
    );
    const negatives = t2.filter((r) => r.silverLabel === 0);
    assert.ok(negatives.length > 100);
    for (const r of negatives) {
      assert.ok(
        !aboveByStep.get(`${r.scriptId}|${r.stepIndex}`)!.has(r.productId),
        `${r.productId} leaks into the negatives of ${r.scriptId}/${r.stepIndex}`,
      );
    }
  });

  it('gives hard negatives that really score below the threshold, ranked ones within the margin', async () => {
    const hard = t2.filter((r) => r.origin === 'hard');
    assert.ok(hard.some((r) => r.negativeKind === 'ranked') && hard.some((r) => r.negativeKind === 'category'));
    // Recompute each score independently of the build: embed the step, score the product alone.
    for (const r of hard.slice(0, 60)) {
      const [v] = await s.embedder.embed([r.step]);
      const [[m]] = await s.store.search([v], { k: 1, threshold: -1, match: 'intentions', filter: { productIds: [r.productId] } });
      // The index and the exact scan sum in different orders: equal to ~1e-15, not bit for bit.
      assert.ok(Math.abs(m.score - r.score) < 1e-9, `the record carries the real score (${m.score} vs ${r.score})`);
      assert.ok(r.score < threshold, `${r.productId} scores ${r.score}`);
    }
    for (const r of hard) {
      assert.ok(r.score < threshold);
      if (r.negativeKind === 'ranked') assert.ok(r.score >= threshold - hardMargin && r.rank! > 0);
    }
  });

  it('draws category hard negatives from a positive’s category and easy ones from other categories', () => {
    for (const records of groupBy(t2, (r) => `${r.scriptId}|${r.stepIndex}`).values()) {
      const positiveCategories = new Set(records.filter((r) => r.origin === 'positive').map((r) => r.category));
      for (const r of records) {
        if (r.negativeKind === 'category') assert.ok(positiveCategories.has(r.category), `${r.productId} is not in a positive's category`);
        if (r.origin === 'easy') {
          assert.equal(r.negativeKind, 'other-category');
          assert.ok(
            r.category !== null && !positiveCategories.has(r.category),
            `${r.productId} (${r.category}) shares a category with a positive`,
          );
          assert.ok(r.score < threshold);
        }
      }
    }
  });

  it('keeps the negatives-per-positive ratio and the hard share per step', () => {
    for (const records of groupBy(t2, (r) => `${r.scriptId}|${r.stepIndex}`).values()) {
      const positives = records.filter((r) => r.origin === 'positive').length;
      const hard = records.filter((r) => r.origin === 'hard').length;
      const easy = records.filter((r) => r.origin === 'easy').length;
      assert.ok(positives >= 1 && positives <= k);
      assert.ok(hard + easy <= 2 * positives);
      assert.ok(easy <= positives && hard <= positives); // round(2P × 0.5) each at most
    }
  });
});

describe('T2 in a catalog without categories', () => {
  let s: Awaited<ReturnType<typeof sampleStore>>;
  after(() => s.close());

  it('takes easy negatives that score far below the threshold and no category negatives', async () => {
    s = await sampleStore(({ category: _drop, ...p }) => p);
    const { t2 } = await build(s, 'uncategorised', { hardFraction: 0.5 });
    const easy = t2.filter((r) => r.origin === 'easy');
    assert.ok(easy.length > 50);
    for (const r of easy) {
      assert.equal(r.negativeKind, 'far-below');
      assert.ok(r.score < DEFAULTS.threshold - DEFAULTS.hardMargin, `${r.productId} scores ${r.score}`);
    }
    assert.ok(!t2.some((r) => r.negativeKind === 'category'));
  });
});
