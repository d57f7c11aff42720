import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_KEY, build, sampleProducts } from '../helpers/app-fixture.js';

test('products API', async (t) => {
  const app = await build(t);

  await t.test('upserts, skips unchanged products, and re-embeds changed ones', async () => {
    let res = await app.inject({ method: 'POST', url: '/products', payload: { products: sampleProducts } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { upserted: 4, unchanged: 0, intentionsIndexed: 6 });
    res = await app.inject({ method: 'POST', url: '/products', payload: { products: sampleProducts } });
    assert.deepEqual(res.json(), { upserted: 0, unchanged: 4, intentionsIndexed: 0 });
    // Attribute key order is not a change.
    const reordered = { ...sampleProducts[0], attributes: { price: 169, brand: 'Emberline' } };
    res = await app.inject({ method: 'POST', url: '/products', payload: { products: [reordered] } });
    assert.deepEqual(res.json(), { upserted: 0, unchanged: 1, intentionsIndexed: 0 });
    const changed = { ...sampleProducts[1], intentions: [...sampleProducts[1].intentions, 'because they want to start a campfire'] };
    res = await app.inject({ method: 'POST', url: '/products', payload: { products: [changed] } });
    assert.deepEqual(res.json(), { upserted: 1, unchanged: 0, intentionsIndexed: 2 });
  });

  await t.test('gets a product as stored', async () => {
    const res = await app.inject({ method: 'GET', url: '/products/grill-1' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), sampleProducts[0]);
  });

  await t.test('deletes a product so it is no longer aligned', async () => {
    const before = await app.inject({
      method: 'POST',
      url: '/align',
      payload: { steps: ['sleep outdoors camping'], threshold: -1, k: 10 },
    });
    assert.ok(before.json().steps[0].products.some((p: { productId: string }) => p.productId === 'tent-1'));
    const del = await app.inject({ method: 'DELETE', url: '/products/tent-1' });
    assert.equal(del.statusCode, 204);
    const afterDel = await app.inject({
      method: 'POST',
      url: '/align',
      payload: { steps: ['sleep outdoors camping'], threshold: -1, k: 10 },
    });
    assert.ok(!afterDel.json().steps[0].products.some((p: { productId: string }) => p.productId === 'tent-1'));
    assert.equal((await app.inject({ method: 'GET', url: '/products/tent-1' })).statusCode, 404);
  });

  await t.test('later duplicates of an id within one batch win', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/products',
      payload: {
        products: [
          { id: 'dup', title: 'First' },
          { id: 'dup', title: 'Second' },
        ],
      },
    });
    assert.deepEqual(res.json(), { upserted: 1, unchanged: 0, intentionsIndexed: 0 });
    assert.equal((await app.inject({ method: 'GET', url: '/products/dup' })).json().title, 'Second');
  });
});

test('API key on write endpoints', async (t) => {
  const app = await build(t, { env: { API_KEY } });

  await t.test('rejects writes without or with a wrong key, accepts the right one; reads stay open', async () => {
    const payload = { products: [sampleProducts[0]] };
    let res = await app.inject({ method: 'POST', url: '/products', payload });
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="ecomalign"');
    res = await app.inject({ method: 'POST', url: '/products', payload, headers: { authorization: 'Bearer wrong-key-0000' } });
    assert.equal(res.statusCode, 401);
    res = await app.inject({ method: 'DELETE', url: '/products/grill-1' });
    assert.equal(res.statusCode, 401);
    res = await app.inject({ method: 'POST', url: '/products', payload, headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(res.statusCode, 200);
    res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['grill'] } });
    assert.equal(res.statusCode, 200);
    res = await app.inject({ method: 'GET', url: '/products/grill-1' });
    assert.equal(res.statusCode, 200);
  });
});
