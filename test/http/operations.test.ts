import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { build, sampleProducts } from '../helpers/app-fixture.js';

test('health, readiness, metrics, docs', async (t) => {
  const app = await build(t);
  await app.inject({ method: 'POST', url: '/products', payload: { products: sampleProducts } });

  await t.test('/healthz is ok', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  await t.test('/readyz reports model, dimension and counts', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 200);
    const { index, storage, ...rest } = res.json();
    // The data volume: a healthy one takes writes and has room; nothing was refused or skipped.
    assert.equal(storage.writes, 'accepted');
    assert.ok(storage.freeBytes > 0 && storage.freeBytes <= storage.totalBytes);
    assert.equal(storage.refusedWrites, 0);
    assert.deepEqual(storage.cache, { writes: 0, droppedEntries: 0, reads: 0 });
    // The in-process index's backlog and its check on open (nothing missing, nothing extra).
    assert.equal(index.indexFailures, 0);
    assert.deepEqual(index.lastCheck.missing, { intention: 0, title: 0 });
    assert.deepEqual(index.lastCheck.extra, { intention: 0, title: 0 });
    assert.ok(index.pendingTexts >= 0 && index.pendingRemovals >= 0);
    assert.deepEqual(rest, {
      status: 'ready',
      model: 'lexical-hash-384-v1',
      modelInfo: { id: 'lexical-hash-384-v1', variant: 'builtin' },
      dimension: 384,
      store: 'embedded',
      products: 4,
      intentions: 6,
      titles: 4,
    });
  });

  await t.test('/metrics exposes latency histograms per route, embedding time and index size', async () => {
    await app.inject({ method: 'POST', url: '/align', payload: { steps: ['grill'] } });
    await app.inject({
      method: 'POST',
      url: '/align',
      payload: { steps: ['grill', 'cool drinks'], retrieval: 'hybrid', aggregate: 'mean' },
    });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(res.body, /ecomalign_http_request_duration_seconds_bucket\{[^}]*route="\/align"/);
    assert.match(res.body, /ecomalign_index_texts\{kind="intention"\} 6/);
    assert.match(res.body, /ecomalign_index_products 4/);
    assert.match(res.body, /ecomalign_aligned_steps_total\{route="\/align",aggregate="max",retrieval="semantic"\} 1/);
    assert.match(res.body, /ecomalign_aligned_steps_total\{route="\/align",aggregate="mean",retrieval="hybrid"\} 2/);
  });

  await t.test('echoes or assigns a request id', async () => {
    let res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(res.headers['x-request-id'], 'abc-123');
    res = await app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  await t.test('serves the OpenAPI document and Swagger UI', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.ok(spec.paths['/align'].post);
    assert.ok(spec.paths['/products/{id}'].delete);
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });
});

describe('draining for shutdown', () => {
  it('answers new requests with 503 and Connection: close once draining starts', async (t) => {
    const app = await build(t);
    assert.equal(await app.drain(1000), true, 'nothing in flight');
    const res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['x'] } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers.connection, 'close');
    assert.equal(res.headers['retry-after'], '5');
  });
});

describe('before the services are loaded', () => {
  it('is live but not ready, and the API answers 503 with Retry-After instead of hanging', async (t) => {
    const app = await build(t, { services: false });
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().status, 'starting');
    const res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['x'] } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '5');
  });

  it('reports a start-up failure on /readyz', async (t) => {
    const app = await build(t, { services: false });
    app.services.fail('model missing');
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { status: 'unavailable', detail: 'model missing' });
  });
});
