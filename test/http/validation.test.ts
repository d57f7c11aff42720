import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, sampleProducts } from '../helpers/app-fixture.js';

type Problem = { type: string; title: string; status: number; detail?: string; errors?: { field: string; message: string }[] };

test('bad input gets a clear 4xx problem, never a 500', async (t) => {
  const app = await build(t, { env: { BODY_LIMIT_BYTES: '65536' } });

  async function expectProblem(
    request: { method: 'POST' | 'GET' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> },
    status: number,
    field?: string | RegExp,
  ): Promise<Problem> {
    const res = await app.inject(request as never);
    assert.equal(res.statusCode, status, `${request.method} ${request.url}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const body = res.json<Problem>();
    assert.equal(body.status, status);
    assert.equal(typeof body.title, 'string');
    assert.doesNotMatch(res.body, /at .*\.(ts|js):\d+/, 'no stack traces in error bodies');
    if (field) {
      const fields = (body.errors ?? []).map((e) => e.field);
      assert.ok(
        fields.some((f) => (typeof field === 'string' ? f === field : field.test(f))),
        `expected an error naming ${field}, got ${JSON.stringify(body.errors)}`,
      );
    }
    return body;
  }

  const align = (payload: unknown) => ({ method: 'POST' as const, url: '/align', payload: payload as object });

  await t.test('malformed JSON', async () => {
    const body = await expectProblem(
      { method: 'POST', url: '/align', payload: '{"steps": [', headers: { 'content-type': 'application/json' } },
      400,
    );
    assert.match(body.detail ?? '', /JSON/);
  });

  await t.test('wrong types', async () => {
    await expectProblem(align({ steps: 'Light the grill' }), 400, 'body.steps');
    await expectProblem(align({ steps: ['ok', 42] }), 400, 'body.steps[1]');
    await expectProblem(align({ steps: ['ok'], k: '5' }), 400, 'body.k');
    await expectProblem(align({ steps: ['ok'], match: 'everything' }), 400, 'body.match');
  });

  await t.test('unknown fields are named', async () => {
    await expectProblem(align({ steps: ['ok'], stpes: ['typo'] }), 400, 'body.stpes');
    await expectProblem(align({ steps: ['ok'], filter: { category: ['x'] } }), 400, 'body.filter.category');
  });

  await t.test('empty and too many steps, blank and over-long text', async () => {
    await expectProblem(align({ steps: [] }), 400, 'body.steps');
    await expectProblem(align({ steps: Array.from({ length: 65 }, (_, i) => `step ${i}`) }), 400, 'body.steps');
    await expectProblem(align({ steps: ['   '] }), 400, 'body.steps[0]');
    await expectProblem(align({ steps: ['x'.repeat(1001)] }), 400, 'body.steps[0]');
    await expectProblem(align({}), 400, 'body.steps');
  });

  await t.test('k and threshold out of range', async () => {
    await expectProblem(align({ steps: ['ok'], k: 0 }), 400, 'body.k');
    await expectProblem(align({ steps: ['ok'], k: 101 }), 400, 'body.k');
    await expectProblem(align({ steps: ['ok'], k: 2.5 }), 400, 'body.k');
    await expectProblem(align({ steps: ['ok'], threshold: 1.5 }), 400, 'body.threshold');
    await expectProblem(align({ steps: ['ok'], threshold: -2 }), 400, 'body.threshold');
    await expectProblem(
      align({ steps: ['ok'], filter: { productIds: Array.from({ length: 1001 }, (_, i) => `p${i}`) } }),
      400,
      'body.filter.productIds',
    );
  });

  await t.test('batch limits', async () => {
    await expectProblem({ method: 'POST', url: '/align/batch', payload: { scripts: [] } }, 400, 'body.scripts');
    await expectProblem({ method: 'POST', url: '/align/batch', payload: { scripts: [{ steps: ['ok'] }] } }, 400, 'body.scripts[0].id');
  });

  await t.test('product validation names the product and field, and a rejected batch writes nothing', async () => {
    const products = [sampleProducts[0], { ...sampleProducts[1], intentions: ['fine', ''] }];
    await expectProblem({ method: 'POST', url: '/products', payload: { products } }, 400, 'body.products[1].intentions[1]');
    await expectProblem(
      { method: 'POST', url: '/products', payload: { products: [{ id: 'x'.repeat(129), title: 't' }] } },
      400,
      'body.products[0].id',
    );
    await expectProblem({ method: 'POST', url: '/products', payload: { products: [{ id: 'a' }] } }, 400, 'body.products[0].title');
    await expectProblem(
      {
        method: 'POST',
        url: '/products',
        payload: { products: [{ id: 'a', title: 't', intentions: Array.from({ length: 65 }, () => 'i') }] },
      },
      400,
      'body.products[0].intentions',
    );
    await expectProblem({ method: 'POST', url: '/products', payload: { products: [] } }, 400, 'body.products');
    const get = await app.inject({ method: 'GET', url: '/products/grill-1' });
    assert.equal(get.statusCode, 404, 'the valid product of the rejected batch was not written');
  });

  await t.test('too large a body is 413', async () => {
    await expectProblem(align({ steps: ['x'.repeat(900)], objective: 'y'.repeat(70_000) }), 413);
  });

  await t.test('unknown product is 404 on GET and DELETE; unknown route is 404', async () => {
    await expectProblem({ method: 'GET', url: '/products/nope' }, 404);
    await expectProblem({ method: 'DELETE', url: '/products/nope' }, 404);
    await expectProblem({ method: 'GET', url: '/nothing-here' }, 404);
  });

  await t.test('prototype-pollution keys are rejected', async () => {
    await expectProblem(
      {
        method: 'POST',
        url: '/align',
        payload: '{"steps":["ok"],"__proto__":{"polluted":true}}',
        headers: { 'content-type': 'application/json' },
      },
      400,
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  await t.test('wrong content type is 415', async () => {
    await expectProblem({ method: 'POST', url: '/align', payload: 'steps=1', headers: { 'content-type': 'text/plain' } }, 415);
  });
});
