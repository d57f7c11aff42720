import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LexicalIndexMissingError } from '../../src/store/qdrant/lexical-index.js';
import { build, sampleProducts } from '../helpers/app-fixture.js';

type Match = {
  productId: string;
  score: number;
  matched: { kind: string; text: string; by: string[] };
  sides?: { semantic?: number; lexical?: number };
};
type AlignBody = { threshold: number | null; scoring: Record<string, unknown>; steps: { products: Match[] }[] };

test('POST /align scoring choices: aggregation and hybrid retrieval', async (t) => {
  const app = await build(t);
  const seeded = await app.inject({ method: 'POST', url: '/products', payload: { products: sampleProducts } });
  assert.equal(seeded.statusCode, 200, seeded.body);
  const align = async (payload: object) => {
    const res = await app.inject({ method: 'POST', url: '/align', payload });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<AlignBody>();
  };

  await t.test('the default is max over semantic retrieval, and says so', async () => {
    const body = await align({ steps: ['grill burgers'], threshold: -1, k: 4 });
    assert.deepEqual(body.scoring, { aggregate: 'max', retrieval: 'semantic' });
    const explicit = await align({ steps: ['grill burgers'], threshold: -1, k: 4, aggregate: 'max', retrieval: 'semantic' });
    assert.deepEqual(explicit.steps, body.steps);
    for (const p of body.steps[0].products) assert.deepEqual(p.matched.by, ['semantic']);
  });

  await t.test('mean scores a product by the average of its intentions: never above max, equal for one intention', async () => {
    const max = await align({ steps: ['grill burgers with charcoal'], threshold: -1, k: 4 });
    const mean = await align({ steps: ['grill burgers with charcoal'], threshold: -1, k: 4, aggregate: 'mean' });
    assert.deepEqual(mean.scoring, { aggregate: 'mean', retrieval: 'semantic' });
    const maxOf = new Map(max.steps[0].products.map((p) => [p.productId, p.score]));
    for (const p of mean.steps[0].products) {
      assert.ok(p.score <= maxOf.get(p.productId)! + 1e-9, `${p.productId}`);
      const product = sampleProducts.find((s) => s.id === p.productId)!;
      if (product.intentions.length === 1) assert.ok(Math.abs(p.score - maxOf.get(p.productId)!) < 1e-6);
    }
    const topm = await align({ steps: ['grill burgers with charcoal'], threshold: -1, k: 4, aggregate: 'topm' });
    assert.deepEqual(topm.scoring, { aggregate: 'topm', m: 3, retrieval: 'semantic' });
  });

  await t.test('lexical retrieval returns BM25 matches in [0, 1) with the matched text', async () => {
    const body = await align({ steps: ['chimney starter'], retrieval: 'lexical', match: 'titles', threshold: 0 });
    assert.equal(body.steps[0].products[0].productId, 'chimney-1');
    assert.deepEqual(body.steps[0].products[0].matched, { kind: 'title', text: 'Chimney Starter', by: ['lexical'] });
    for (const p of body.steps[0].products) assert.ok(p.score > 0 && p.score < 1);
  });

  await t.test('hybrid weighted: bounded score from both sides, matched.by names them, sides gives each', async () => {
    const body = await align({ steps: ['keep drinks cold'], retrieval: 'hybrid', alpha: 0.7, threshold: 0, k: 4, match: 'both' });
    assert.deepEqual(body.scoring, { aggregate: 'max', retrieval: 'hybrid', fusion: 'weighted', alpha: 0.7 });
    const top = body.steps[0].products[0];
    assert.equal(top.productId, 'cooler-1');
    assert.deepEqual(top.matched.by, ['semantic', 'lexical']);
    for (const p of body.steps[0].products) {
      assert.ok(p.score >= 0 && p.score <= 1);
      assert.ok(Math.abs(p.score - (0.7 * p.sides!.semantic! + 0.3 * p.sides!.lexical!)) < 1e-9);
    }
  });

  await t.test('hybrid rrf: no threshold, and reports none', async () => {
    const body = await align({ steps: ['keep drinks cold'], retrieval: 'hybrid', fusion: 'rrf', k: 4 });
    assert.equal(body.threshold, null);
    assert.deepEqual(body.scoring, { aggregate: 'max', retrieval: 'hybrid', fusion: 'rrf' });
    assert.equal(body.steps[0].products[0].productId, 'cooler-1');
    assert.ok(body.steps[0].products[0].score <= 2 / 61);
  });

  await t.test('filters and k hold in every mode', async () => {
    // Both camping products match the step on both sides (cooler: "camping trip", "drinks cold";
    // tent: "camping trip"), and the grilling ones would be found without the filter: so k=1 must
    // cut two candidates to one and the filter must keep the grills out. No threshold where the mode
    // takes one, so an empty answer cannot pass.
    const step = 'camping trip cold drinks';
    for (const mode of [{ retrieval: 'lexical' }, { retrieval: 'hybrid' }, { retrieval: 'hybrid', fusion: 'rrf' }, { aggregate: 'mean' }]) {
      const open = 'fusion' in mode ? {} : { threshold: -1 };
      const label = JSON.stringify(mode);
      const filtered = await align({ steps: [step], ...mode, ...open, k: 1, filter: { categories: ['camping'] } });
      assert.equal(filtered.steps[0].products.length, 1, label);
      assert.match(filtered.steps[0].products[0].productId, /^(cooler|tent)-1$/, label);
      const twoCamping = await align({ steps: [step], ...mode, ...open, k: 4, filter: { categories: ['camping'] } });
      assert.deepEqual(twoCamping.steps[0].products.map((p) => p.productId).sort(), ['cooler-1', 'tent-1'], label);
      assert.equal(twoCamping.steps[0].products[0].productId, filtered.steps[0].products[0].productId, `${label}: k=1 keeps the best`);
    }
    // Without the filter, semantic retrieval at threshold -1 finds products of other categories too.
    const unfiltered = await align({ steps: [step], threshold: -1, k: 4 });
    assert.ok(
      unfiltered.steps[0].products.some((p) => !/^(cooler|tent)-1$/.test(p.productId)),
      'the filter has something to remove',
    );
  });

  await t.test('/align/batch takes and reports the same choices', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/align/batch',
      payload: { scripts: [{ id: 's1', steps: ['keep drinks cold'] }], retrieval: 'hybrid', aggregate: 'topm', m: 2 },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().scoring, { aggregate: 'topm', m: 2, retrieval: 'hybrid', fusion: 'weighted', alpha: 0.5 });
  });

  await t.test('bad values and combinations are 400s naming the field', async () => {
    const cases: [object, string][] = [
      [{ aggregate: 'median' }, 'body.aggregate'],
      [{ aggregate: 'topm', m: 0 }, 'body.m'],
      [{ aggregate: 'topm', m: 2.5 }, 'body.m'],
      [{ aggregate: 'mean', m: 2 }, 'body.m'],
      [{ retrieval: 'bm25' }, 'body.retrieval'],
      [{ fusion: 'rrf' }, 'body.fusion'],
      [{ retrieval: 'hybrid', fusion: 'dbsf' }, 'body.fusion'],
      [{ retrieval: 'hybrid', alpha: 1.5 }, 'body.alpha'],
      [{ retrieval: 'semantic', alpha: 0.5 }, 'body.alpha'],
      [{ retrieval: 'hybrid', fusion: 'rrf', alpha: 0.5 }, 'body.alpha'],
      [{ retrieval: 'hybrid', fusion: 'rrf', threshold: 0.2 }, 'body.threshold'],
    ];
    for (const [extra, field] of cases) {
      for (const [url, payload] of [
        ['/align', { steps: ['grill'], ...extra }],
        ['/align/batch', { scripts: [{ id: 'a', steps: ['grill'] }], ...extra }],
      ] as const) {
        const res = await app.inject({ method: 'POST', url, payload });
        assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(extra)}: ${res.body}`);
        const fields = (res.json().errors ?? []).map((e: { field: string }) => e.field);
        assert.ok(fields.includes(field), `${url} ${JSON.stringify(extra)}: expected ${field}, got ${JSON.stringify(fields)}`);
      }
    }
  });
});

test('a store that cannot do BM25 (a Qdrant collection built without it) answers 501 naming retrieval; semantic keeps working', async (t) => {
  const app = await build(t);
  await app.inject({ method: 'POST', url: '/products', payload: { products: sampleProducts } });
  const store = app.services.get().store;
  // What the Qdrant adapter throws for a legacy collection (src/store/qdrant/lexical-index.ts).
  store.lexicalSearch = () => Promise.reject(new LexicalIndexMissingError());
  for (const retrieval of ['lexical', 'hybrid']) {
    const res = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['grill'], retrieval } });
    assert.equal(res.statusCode, 501, res.body);
    assert.deepEqual(
      res.json().errors.map((e: { field: string }) => e.field),
      ['body.retrieval'],
    );
  }
  const ok = await app.inject({ method: 'POST', url: '/align', payload: { steps: ['grill'], aggregate: 'mean' } });
  assert.equal(ok.statusCode, 200, ok.body);
});
