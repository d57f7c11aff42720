import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Aligner } from '../../src/align/aligner.js';
import { EmbeddingQueue } from '../../src/embedding/embedding-queue.js';
import { API_KEY, build, sampleProducts } from '../helpers/app-fixture.js';
import { heldEmbedder } from '../helpers/held-embedder.js';

const align = { method: 'POST' as const, url: '/align', payload: { steps: ['light the charcoal grill'] } };

describe('security headers and CORS', () => {
  it('sets helmet headers on API and docs responses, and no CORS headers unless configured', async (t) => {
    const app = await build(t);
    const res = await app.inject({ ...align, headers: { origin: 'https://evil.example' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.ok(docs.headers['content-security-policy'], 'the Swagger UI is served under a CSP too');
  });

  it('allows exactly the configured origins', async (t) => {
    const app = await build(t, { env: { CORS_ORIGINS: 'https://shop.example, https://assistant.example' } });
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/align',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://shop.example');
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    const other = await app.inject({ ...align, headers: { origin: 'https://evil.example' } });
    assert.equal(other.statusCode, 200);
    assert.equal(other.headers['access-control-allow-origin'], undefined, 'an unlisted origin gets no CORS grant');
  });
});

describe('rate limiting', () => {
  it('is off by default: a bulk client sending many sequential requests is never throttled', async (t) => {
    const app = await build(t);
    for (let i = 0; i < 150; i++) {
      const res = await app.inject(align);
      assert.equal(res.statusCode, 200, `request ${i}`);
      assert.equal(res.headers['x-ratelimit-limit'], undefined);
    }
  });

  it('when configured, answers 429 with Retry-After per API key, separately per client', async (t) => {
    const app = await build(t, { env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
    const keyA = { authorization: `Bearer ${API_KEY}` };
    const keyB = { authorization: 'Bearer another-client-key' };
    for (let i = 0; i < 3; i++) assert.equal((await app.inject({ ...align, headers: keyA })).statusCode, 200);
    const limited = await app.inject({ ...align, headers: keyA });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After tells the client when to come back');
    assert.match(limited.json().detail, /Rate limit of 3 requests/);
    assert.equal((await app.inject({ ...align, headers: keyB })).statusCode, 200, 'another key has its own quota');
    assert.equal((await app.inject(align)).statusCode, 200, 'an anonymous client is keyed by address');
    assert.equal((await app.inject({ method: 'GET', url: '/healthz', headers: keyA })).statusCode, 200, 'probes are exempt');
  });
});

describe('heap shedding (load shedding on memory pressure)', () => {
  it('answers 503 + Retry-After under memory pressure but keeps liveness and metrics answering', async (t) => {
    // A 1-byte heap ceiling is always exceeded: the sampler flags pressure on its first tick.
    const app = await build(t, { env: { MAX_HEAP_USED_BYTES: '1' } });
    await new Promise((r) => setTimeout(r, 450));
    const res = await app.inject(align);
    assert.equal(res.statusCode, 503);
    assert.ok(Number(res.headers['retry-after']) >= 1);
    assert.match(res.json().detail, /overloaded \(heapUsedBytes\)/);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /ecomalign_shed_requests_total\{reason="heapUsedBytes"\} [1-9]/);
  });

  it('refuses requests beyond the embedding queue depth with 503 and serves the rest', async (t) => {
    const app = await build(t);
    await app.inject({ method: 'POST', url: '/products', payload: { products: sampleProducts } });
    const services = app.services.get();
    // A model that finishes only when released, behind a queue that lets one request wait.
    const { embedder: slow, release } = heldEmbedder(services.embedder);
    const queue = new EmbeddingQueue(slow, { maxDepth: 1, timeoutMs: 10_000, maxBatchTexts: 256 });
    app.services.serve({ ...services, aligner: new Aligner(queue, services.store) });

    const running = app.inject(align);
    await new Promise((r) => setImmediate(r));
    const waiting = app.inject({ ...align, payload: { steps: ['keep the drinks cold'] } });
    await new Promise((r) => setImmediate(r));
    const refused = await app.inject(align);
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.headers['retry-after'], '1');
    assert.match(refused.json().detail, /embedding queue is full/);
    release();
    assert.equal((await running).statusCode, 200);
    const served = await waiting;
    assert.equal(served.statusCode, 200);
    assert.equal(served.json().steps[0].products[0].productId, 'cooler-1');
  });
});
