import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ProductUpsert, SearchOptions } from '../../../src/core/vector-store.js';
import { bruteForce } from '../conformance/brute-force.js';
import { rng, unitVector } from '../../helpers/vectors.js';
import { DIM, randomProducts, withWorkers } from '../../helpers/store-fixture.js';

/**
 * The search workers as dependencies that fail: a worker is killed while writers and readers run;
 * its searches must be retried on the other worker, its replacement must load the catalog, and in
 * the end every answer must be the brute-force one over exactly the acknowledged writes. The
 * workers hold the exact index, so any difference is a lost or stale write, not HNSW recall.
 */

const CASES: SearchOptions[] = [
  { k: 5, threshold: 0, match: 'intentions' },
  { k: 3, threshold: -1, match: 'both' },
  { k: 4, threshold: -1, match: 'titles', filter: { categories: ['b'] } },
];

it(
  'survives search workers killed during concurrent reads and writes, and ends with exactly the acknowledged catalog',
  { timeout: 60_000 },
  () =>
    withWorkers('ecomalign-workers-', async (store, workers) => {
      const catalog = new Map<string, ProductUpsert>();
      const random = rng(11);
      const base = randomProducts(60, 3);
      await store.upsert(base);
      for (const p of base) catalog.set(p.product.id, p);

      let stop = false;
      let searches = 0;
      const readers = Array.from({ length: 3 }, async () => {
        while (!stop) {
          await store.search([unitVector(random, DIM)], CASES[searches % CASES.length]);
          searches++;
        }
      });
      // One writer: replaces products with new vectors and deletes some; every acknowledged change
      // goes into the model the final answers are checked against.
      const writer = (async () => {
        for (let round = 0; round < 40; round++) {
          const changed = randomProducts(8, 100 + round).map((p, i) => ({
            ...p,
            product: { ...p.product, id: `p${(round * 8 + i) % 90}` },
          }));
          await store.upsert(changed);
          for (const p of changed) catalog.set(p.product.id, p);
          const victim = `p${(round * 13) % 90}`;
          if (await store.delete(victim)) catalog.delete(victim);
          if (round === 10) await workers.crash(0);
          if (round === 25) await workers.crash(1);
        }
      })();
      await writer;
      stop = true;
      await Promise.all(readers);

      assert.ok(searches > 20, `the readers ran only ${searches} searches: the kill did not meet traffic`);
      const items = [...catalog.values()];
      for (let q = 0; q < 30; q++) {
        const query = unitVector(random, DIM);
        for (const options of CASES) {
          const [got] = await store.search([query], options);
          const want = bruteForce(items, query, options);
          assert.deepEqual(
            got.map((m) => m.productId),
            want.map((m) => m.productId),
            `query ${q} ${JSON.stringify(options)}: the answer differs from brute force over the acknowledged writes`,
          );
        }
      }
      const stats = await store.stats();
      assert.equal(stats.products, catalog.size);
      // Workers report health a few times a second; a flush answers with fresh figures.
      assert.equal(await store.flushIndex(), true);
      assert.deepEqual(store.indexedCounts(), { intentions: stats.intentions, titles: stats.titles }, 'a replacement replica lacks texts');
    }),
);

it(
  'answers a search sent right after a write with that write, on every worker (read-your-writes across threads)',
  { timeout: 30_000 },
  () =>
    withWorkers('ecomalign-workers-ryw-', async (store) => {
      const random = rng(5);
      for (let i = 0; i < 60; i++) {
        const vector = unitVector(random, DIM);
        const id = `fresh${i}`;
        await store.upsert([
          { product: { id, title: id, intentions: [id] }, contentHash: id, texts: [{ kind: 'intention', text: id, vector }] },
        ]);
        // Two searches at once: the router spreads them over both workers, and each must see the write.
        const answers = await Promise.all([0, 1].map(() => store.search([vector], { k: 1, threshold: 0.99, match: 'intentions' })));
        for (const [hits] of answers)
          assert.equal(hits[0]?.productId, id, `write ${i} not visible to a search sent after its acknowledgement`);
        if (i % 7 === 0) await store.delete(id);
        if (i % 7 === 0) {
          const [[gone]] = await store.search([vector], { k: 1, threshold: 0.99, match: 'intentions' });
          assert.notEqual(gone?.productId, id, `deleted product ${id} still returned`);
        }
      }
    }),
);

it('fails searches over from a worker hung in a (simulated) native call and replaces it', { timeout: 30_000 }, () =>
  withWorkers(
    'ecomalign-workers-hang-',
    async (store, workers) => {
      const items = randomProducts(40, 9);
      await store.upsert(items);
      const random = rng(21);
      workers.hang(0, 8_000);
      const started = performance.now();
      // Enough searches at once that the router hands some to the hung worker.
      const queries = Array.from({ length: 12 }, () => unitVector(random, DIM));
      const answers = await Promise.all(queries.map((q) => store.search([q], CASES[0])));
      const waited = performance.now() - started;
      assert.ok(waited < 6_000, `searches waited ${Math.round(waited)} ms: they were not failed over before the stall ended`);
      answers.forEach(([got], i) =>
        assert.deepEqual(
          got.map((m) => m.productId),
          bruteForce(items, queries[i], CASES[0]).map((m) => m.productId),
        ),
      );
      // A write after the replacement reaches every replica, the new one included.
      const fresh = randomProducts(1, 77).map((p) => ({ ...p, product: { ...p.product, id: 'after-hang' } }));
      await store.upsert(fresh);
      const q = fresh[0].texts[1].vector;
      const both = await Promise.all([0, 1, 2, 3].map(() => store.search([q], { k: 1, threshold: 0.99, match: 'intentions' })));
      for (const [hits] of both) assert.equal(hits[0]?.productId, 'after-hang');
    },
    { stallMs: 600 },
  ),
);
