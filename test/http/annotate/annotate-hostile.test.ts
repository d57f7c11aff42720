import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { tempDir } from '../../helpers/store-fixture.js';
import { assertSafeAnswer } from '../hostile-checks.js';
import { contentType, oddString, pathologicalBody, productIdPath, rawValue, shaped } from '../hostile-arbitraries.js';
import { annotateApp, SET, writeCandidateSet, type AnnotateFixture } from './annotate-fixture.js';

/**
 * The annotation API under generated hostile input, as test/http/hostile-input.test.ts does for
 * the service: never a 5xx, problem bodies without internals, a clean prototype chain, and a
 * rejected write that leaves the labels as they were.
 */

const SEED = 20261202;
const tally = { requests: 0, rejected: 0, serverErrors: 0 };

describe('annotate API: hostile input', () => {
  let ctx: AnnotateFixture;
  let cleanup: () => void;
  let fingerprint: string;
  const labels = () => JSON.stringify(['t1', 't2', 't3'].map((t) => ctx.service['store'].rows(t as 't1')));

  before(async () => {
    const tmp = tempDir('ecomalign-annotate-hostile-');
    cleanup = tmp.cleanup;
    writeCandidateSet(tmp.dir);
    ctx = await annotateApp(tmp.dir, { votes: 3, goldRate: 0.2 });
    fingerprint = labels();
  });
  after(async () => {
    await ctx.close();
    cleanup();
  });

  async function send(request: InjectOptions, write: boolean): Promise<void> {
    const res = await ctx.app.inject(request);
    tally.requests++;
    if (res.statusCode >= 500) tally.serverErrors++;
    assertSafeAnswer(request, res);
    if (res.statusCode >= 400) tally.rejected++;
    if (write) {
      const now = labels();
      if (res.statusCode >= 400) assert.equal(now, fingerprint, `a rejected write (${res.statusCode}) changed the labels`);
      fingerprint = now;
    }
  }

  const ids = fc.oneof(fc.constantFrom(...SET.t2.map((r) => JSON.stringify(r.id)), '"t1-orig"', '"no-such"'), rawValue);
  const annotator = fc.oneof(
    fc.constantFrom('"ann"', '"bob"', '" "', '"a\\u202eb"', `"${'x'.repeat(65)}"`),
    oddString.map((s) => JSON.stringify(s)),
    rawValue,
  );
  const label = fc.oneof(fc.constantFrom('0', '1', '2', '-1', '0.5', 'true', '"1"', 'null'), rawValue);
  const task = fc.oneof(fc.constantFrom('"t1"', '"t2"', '"t3"', '"T2"', '"t4"'), rawValue);
  const post = (url: string, body: string | Buffer, type = 'application/json'): InjectOptions => ({
    method: 'POST',
    url,
    headers: type ? { 'content-type': type } : {},
    payload: body,
  });

  it('POST /api/labels, /api/skips, /api/undo: generated bodies', async () => {
    const bodies = fc.oneof(
      shaped({ annotator, id: ids, label }).map((b) => ['/api/labels', b] as const),
      shaped({ annotator, id: ids }).map((b) => ['/api/skips', b] as const),
      shaped({ annotator, task }).map((b) => ['/api/undo', b] as const),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async ([url, body]) => send(post(url, body), true)),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('every POST endpoint: pathological bodies and content types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/labels', '/api/skips', '/api/undo'), pathologicalBody, contentType, async (url, body, type) =>
        send(post(url, body, type), true),
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  // Every request counts as a write: an accepted GET /api/next records the item it showed.
  it('GET endpoints: hostile query strings', async () => {
    const value = fc.oneof(fc.constantFrom('t1', 't2', 't3', 'jsonl', 'csv', '0', '3', '1e3', '-1', 'NaN', ''), productIdPath);
    const key = fc.constantFrom('annotator', 'task', 'format', 'minVotes', '__proto__', 'constructor', 'task[]', '');
    const query = fc.array(fc.tuple(key, value), { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
    const path = fc.constantFrom(
      '/api/next',
      '/api/progress',
      '/api/agreement',
      '/api/export',
      '/',
      '/annotate.js',
      '/openapi.json',
      '/api',
      '/api/labels',
    );
    const method = fc.constantFrom('GET', 'HEAD', 'DELETE', 'PUT', 'OPTIONS') as fc.Arbitrary<InjectOptions['method']>;
    await fc.assert(
      fc.asyncProperty(method, path, query, async (m, p, q) => send({ method: m, url: `${p}?${q}` }, true)),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('is still serving after all of it, having answered no request with a 5xx', async (t) => {
    assert.equal((await ctx.app.inject({ method: 'GET', url: '/api/next?annotator=zed&task=t2' })).statusCode, 200);
    assert.equal(tally.serverErrors, 0);
    assert.ok(tally.requests >= 1600, `only ${tally.requests} requests`);
    assert.ok(tally.rejected > tally.requests / 2, 'most generated requests should be invalid, or the generators are too tame');
    t.diagnostic(`hostile requests: ${tally.requests}, rejected 4xx: ${tally.rejected}, 5xx: ${tally.serverErrors}`);
  });
});
