import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { API_KEY, build, sampleProducts } from '../helpers/app-fixture.js';
import { assertSafeAnswer } from './hostile-checks.js';
import { alignBatchBody, alignBody, contentType, pathologicalBody, productIdPath, productsBody } from './hostile-arbitraries.js';

/**
 * Property-based: generated hostile requests at every endpoint. Whatever is sent, the server
 * answers (never a 5xx, never a crash), error bodies are RFC 9457 problems without internals, the
 * prototype chain stays clean, and a rejected write leaves the store exactly as it was.
 */

const SEED = 20261125; // fixed: a failure reproduces; fast-check prints the counterexample and its path
const tally = { requests: 0, rejected: 0, accepted: 0, serverErrors: 0 };

test('hostile input', async (t) => {
  const app = await build(t, { env: { API_KEY } });

  const storeFingerprint = async () => {
    const services = app.services.get();
    return JSON.stringify([await services.store.stats(), await services.store.listProducts({ limit: 1000 })]);
  };

  const seeded = await app.inject({ method: 'POST', url: '/products', headers: auth(), payload: { products: sampleProducts } });
  assert.equal(seeded.statusCode, 200);
  let fingerprint = await storeFingerprint();

  /** Sends one request and checks every invariant; writes are checked against the store. */
  async function send(request: InjectOptions, write: boolean): Promise<void> {
    const res = await app.inject(request);
    tally.requests++;
    if (res.statusCode >= 500) tally.serverErrors++;
    assertSafeAnswer(request, res);
    if (res.statusCode >= 400) {
      tally.rejected++;
      if (request.method === 'HEAD') return;
    } else {
      tally.accepted++;
    }
    if (write) {
      const now = await storeFingerprint();
      if (res.statusCode >= 400) assert.equal(now, fingerprint, `a rejected write (${res.statusCode}) changed the store`);
      fingerprint = now;
    }
  }

  const post = (url: string, body: string | Buffer, type: string): InjectOptions => ({
    method: 'POST',
    url,
    headers: { ...auth(), ...(type ? { 'content-type': type } : {}) },
    payload: body,
  });

  await t.test('POST /align: never a 5xx for generated bodies', async () => {
    await fc.assert(
      fc.asyncProperty(alignBody, async (body) => send(post('/align', body, 'application/json'), false)),
      { seed: SEED, numRuns: 400 },
    );
  });

  await t.test('POST /align/batch: never a 5xx for generated bodies', async () => {
    await fc.assert(
      fc.asyncProperty(alignBatchBody, async (body) => send(post('/align/batch', body, 'application/json'), false)),
      { seed: SEED, numRuns: 300 },
    );
  });

  await t.test('POST /products: never a 5xx, and a rejected batch writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(productsBody, async (body) => send(post('/products', body, 'application/json'), true)),
      { seed: SEED, numRuns: 400 },
    );
  });

  await t.test('every POST endpoint: pathological bodies and content types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/align', '/align/batch', '/products'), pathologicalBody, contentType, async (url, body, type) =>
        send(post(url, body, type), url === '/products'),
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  await t.test('GET and DELETE /products/:id: hostile path parameters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'GET' | 'DELETE'>('GET', 'DELETE'), productIdPath, async (method, id) =>
        send({ method, url: `/products/${id}`, headers: auth() }, method === 'DELETE'),
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  await t.test('hostile methods, paths, query strings and auth headers', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') as fc.Arbitrary<InjectOptions['method']>;
    const path = fc.oneof(
      fc.constantFrom(
        '/align',
        '/products',
        '/readyz',
        '/healthz',
        '/metrics',
        '/docs/',
        '/openapi.json',
        '/',
        '//align',
        '/align/',
        '/ALIGN',
      ),
      productIdPath.map((p) => `/${p}`),
    );
    const query = fc.oneof(
      fc.constant(''),
      fc.string({ unit: 'binary', maxLength: 50 }).map((q) => `?${encodeURIComponent(q)}=1`),
      fc.constantFrom('?__proto__[x]=1', '?constructor.prototype.x=1', '?a=%', '?a[]=1&a[]=2'),
    );
    const authorization = fc.oneof(
      fc.constant(`Bearer ${API_KEY}`),
      fc.string({ maxLength: 100 }),
      fc.constantFrom('Bearer', 'Bearer ', 'Basic YWxhZGRpbjpvcGVu', `bearer ${API_KEY}x`, `Bearer ${'k'.repeat(8000)}`),
    );
    await fc.assert(
      fc.asyncProperty(method, path, query, authorization, async (m, p, q, a) => {
        const asciiOnly = /^[\t\x20-\x7e]*$/.test(a); // Node refuses other header bytes before the server sees them
        await send({ method: m, url: p + q, headers: asciiOnly ? { authorization: a } : {} }, m === 'POST' || m === 'DELETE');
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  await t.test('is still healthy and serving after all of it', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['keep the drinks cold'] } });
    assert.equal(res.statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal(tally.serverErrors, 0);
    assert.ok(tally.requests >= 2000, `only ${tally.requests} hostile requests were sent`);
    assert.ok(tally.rejected > tally.requests / 2, 'most generated requests should be invalid, or the generators are too tame');
    t.diagnostic(
      `hostile requests: ${tally.requests}, rejected 4xx: ${tally.rejected}, accepted: ${tally.accepted}, 5xx: ${tally.serverErrors}`,
    );
  });
});

function auth() {
  return { authorization: `Bearer ${API_KEY}` };
}
