import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, sampleProducts } from '../helpers/app-fixture.js';

test('POST /align', async (t) => {
  const app = await build(t);
  const seeded = await app.inject({ method: 'POST', url: '/products', payload: { products: sampleProducts } });
  assert.equal(seeded.statusCode, 200, seeded.body);

  await t.test('returns top-k products per step with the matched intention', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/align',
      payload: { objective: 'Host a barbecue', steps: ['Light the charcoal', 'Keep the drinks cold'], k: 2, threshold: 0.1 },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.model, 'lexical-hash-384-v1');
    assert.equal(body.threshold, 0.1);
    assert.equal(typeof body.tookMs, 'number');
    assert.equal(body.steps.length, 2);
    assert.deepEqual(
      body.steps.map((s: { index: number }) => s.index),
      [0, 1],
    );
    assert.equal(body.steps[0].text, 'Light the charcoal');
    assert.equal(body.steps[0].products[0].productId, 'chimney-1');
    assert.equal(body.steps[0].products[0].matched.kind, 'intention');
    assert.equal(body.steps[1].products[0].productId, 'cooler-1');
    assert.equal(body.steps[1].products[0].matched.text, 'because they want to keep drinks cold at the beach');
    for (const step of body.steps) {
      assert.ok(step.products.length <= 2);
      for (const p of step.products) assert.ok(p.score >= 0.1);
      const scores = step.products.map((p: { score: number }) => p.score);
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
      );
    }
  });

  await t.test("uses the model's calibrated threshold by default", async () => {
    const res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['Pitch the tent'] } });
    const body = res.json();
    assert.equal(body.threshold, app.services.get().aligner.defaultThreshold);
  });

  await t.test('a threshold of 1 returns no products; -1 returns k', async () => {
    let res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['grill burgers'], threshold: 1 } });
    assert.deepEqual(res.json().steps[0].products, []);
    res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['grill burgers'], threshold: -1, k: 3 } });
    assert.equal(res.json().steps[0].products.length, 3);
  });

  await t.test('matches titles when asked, and both kinds with match=both', async () => {
    let res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['dome tent'], match: 'titles', threshold: 0.1 } });
    let top = res.json().steps[0].products[0];
    assert.equal(top.productId, 'tent-1');
    assert.equal(top.matched.kind, 'title');
    res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['dome tent'], match: 'both', threshold: -1, k: 10 } });
    const products = res.json().steps[0].products;
    assert.equal(products.length, 4, 'each product once even though it has title and intentions');
    top = products[0];
    assert.equal(top.matched.kind, 'title');
  });

  await t.test('filters by category and by product id', async () => {
    let res = await app.inject({
      method: 'POST',
      url: '/align',
      payload: { steps: ['keep drinks cold'], threshold: -1, k: 10, filter: { categories: ['grilling'] } },
    });
    assert.deepEqual(
      res.json().steps[0].products.map((p: { category: string }) => p.category),
      ['grilling', 'grilling'],
    );
    res = await app.inject({
      method: 'POST',
      url: '/align',
      payload: { steps: ['keep drinks cold'], threshold: -1, k: 10, filter: { productIds: ['tent-1', 'missing'] } },
    });
    assert.deepEqual(
      res.json().steps[0].products.map((p: { productId: string }) => p.productId),
      ['tent-1'],
    );
  });

  await t.test('aligns a batch of scripts and echoes their ids', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/align/batch',
      payload: {
        scripts: [
          { id: 's1', objective: 'barbecue', steps: ['Light the charcoal'] },
          { id: 's2', steps: ['Pitch the tent', 'Light the charcoal'] },
        ],
        threshold: 0.1,
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(
      body.results.map((r: { id: string }) => r.id),
      ['s1', 's2'],
    );
    assert.equal(body.results[1].steps[1].products[0].productId, 'chimney-1');
    assert.deepEqual(body.results[0].steps[0].products, body.results[1].steps[1].products, 'same step, same answer');
  });
});
