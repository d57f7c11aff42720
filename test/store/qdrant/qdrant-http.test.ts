/**
 * The service on STORE=qdrant, through the HTTP API, with Qdrant played by the in-process TEST
 * DOUBLE: requests work, then Qdrant goes away (503 + Retry-After instead of a hang, /readyz not
 * ready), then it comes back and both recover without a restart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_KEY, build, sampleProducts } from '../../helpers/app-fixture.js';
import { FakeQdrant } from './fake-qdrant.js';

// One app across the subtests, which run in order: Qdrant serves, goes away, comes back.
test('HTTP API on the Qdrant store', async (t) => {
  const fake = await FakeQdrant.start();
  const app = await build(t, {
    env: { STORE: 'qdrant', QDRANT_URL: fake.url, QDRANT_COLLECTION: 'http_test', QDRANT_TIMEOUT_MS: '1000', API_KEY },
  }).catch(async (err: unknown) => {
    await fake.down(); // no app to close, but the fake's server would keep the test process alive
    throw err;
  });
  // t.after hooks run in the order they were registered: the app (build's hook) closes before its Qdrant goes away.
  t.after(() => fake.down());

  const align = () =>
    app.inject({
      method: 'POST',
      url: '/align',
      payload: { steps: ['Light the charcoal', 'Keep the drinks cold'], k: 2, threshold: 0.05 },
    });
  const ready = () => app.inject({ method: 'GET', url: '/readyz' });

  await t.test('serves products and alignments from Qdrant, and says so in /readyz', async () => {
    const put = await app.inject({
      method: 'POST',
      url: '/products',
      headers: { authorization: `Bearer ${API_KEY}` },
      payload: { products: sampleProducts },
    });
    assert.equal(put.statusCode, 200, put.body);
    const res = await align();
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().steps[0].products[0].productId, 'chimney-1');
    const r = await ready();
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().store, 'qdrant');
    assert.equal(r.json().products, sampleProducts.length);
    assert.equal((await app.inject({ method: 'GET', url: '/products/cooler-1' })).json().id, 'cooler-1');
  });

  await t.test('answers 503 with Retry-After while Qdrant is down, and recovers by itself', async () => {
    await fake.down();
    try {
      const started = performance.now();
      const res = await align();
      assert.ok(performance.now() - started < 5_000, 'no hang');
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.headers['retry-after'], '5');
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.match(res.json().detail, /vector store is unavailable/);
      await sleep(1_050); // the readiness probe result is cached for a second
      const r = await ready();
      assert.equal(r.statusCode, 503);
      assert.equal(r.json().status, 'unavailable');
      assert.ok(r.headers['retry-after']);
    } finally {
      await fake.up();
    }
    await sleep(1_050);
    assert.equal((await ready()).statusCode, 200);
    assert.equal((await align()).statusCode, 200);
  });
});
