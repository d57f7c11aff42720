import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CachedEmbedder } from '../../src/embedding/cached-embedder.js';
import type { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { build } from '../helpers/app-fixture.js';

/**
 * Issue 24: a full disk is an answer, not an outage. The volume is made full without root through
 * SQLite's max_page_count on the connection that writes (simulateFullDisk / capGrowth), through
 * the real app with its writer thread and search workers.
 */

function products(batch: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `b${batch}-${i}`,
    title: `Folding camp chair ${batch}-${i}`,
    category: 'camping',
    intentions: [`because they want to sit by the fire on trip ${batch}-${i}`, `because they need a light seat for hike ${batch}-${i}`],
  }));
}

const post = (app: FastifyInstance, items: unknown[]) => app.inject({ method: 'POST', url: '/products', payload: { products: items } });
const align = (app: FastifyInstance, steps: string[]) =>
  app.inject({ method: 'POST', url: '/align', payload: { steps, k: 3, threshold: -1 } });

async function readiness(app: FastifyInstance) {
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(res.statusCode, 200, `readiness stays 200 so reads keep their traffic: ${res.body}`);
  return res.json();
}

async function metric(app: FastifyInstance, line: RegExp): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const m = text.split('\n').find((l) => line.test(l));
  assert.ok(m, `metric ${line} in /metrics`);
  return Number(m.split(' ').pop());
}

/** Every id must be stored (or, with `present` false, absent): the catalog is all-or-nothing per batch. */
async function assertStored(app: FastifyInstance, ids: string[], present: boolean) {
  for (const id of ids) {
    const res = await app.inject({ method: 'GET', url: `/products/${id}` });
    assert.equal(res.statusCode, present ? 200 : 404, `${id} ${present ? 'acknowledged, must be stored' : 'refused, must not exist'}`);
  }
}

describe('a full disk under the catalog', () => {
  it('refuses writes with 507, loses nothing acknowledged, keeps reads and readiness, and recovers by itself', async (t) => {
    const app = await build(t);
    const store = app.services.get().store as EmbeddedStore;
    const acknowledged = products(0, 40);
    assert.equal((await post(app, acknowledged)).statusCode, 200);
    const before = await store.stats();

    await store.simulateFullDisk(true);
    const refusedBatch = products(1, 300);
    const refused = await post(app, refusedBatch);
    assert.equal(refused.statusCode, 507, refused.body);
    assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
    const problem = refused.json();
    assert.equal(problem.status, 507);
    assert.equal(problem.title, 'Insufficient Storage');
    assert.match(problem.detail, /Storage is full: this write was refused and nothing of it was stored/);

    // Nothing half-written: not in the catalog, not in any index, not findable.
    await assertStored(
      app,
      refusedBatch.map((p) => p.id),
      false,
    );
    assert.deepEqual(await store.stats(), before);
    const found = await align(app, ['sit by the fire on trip 1-7']);
    assert.equal(found.statusCode, 200, found.body);
    assert.ok(
      found.json().steps[0].products.every((p: { productId: string }) => !p.productId.startsWith('b1-')),
      'no refused product is searchable',
    );
    // Reads keep working: everything acknowledged is there and searchable.
    await assertStored(
      app,
      acknowledged.map((p) => p.id),
      true,
    );
    const hit = await align(app, ['sit by the fire on trip 0-7']);
    assert.equal(hit.json().steps[0].products[0].productId, 'b0-7');

    const ready = await readiness(app);
    assert.equal(ready.status, 'ready');
    assert.equal(ready.storage.writes, 'refused');
    assert.equal(ready.storage.reason, 'full');
    assert.equal(ready.storage.refusedWrites, 1);
    assert.equal(ready.storage.lastRefusal.reason, 'full');
    assert.ok(ready.storage.freeBytes > 0, 'free bytes of the data volume are reported');
    assert.equal(await metric(app, /^ecomalign_storage_refused_writes_total\{reason="full"\}/), 1);
    assert.equal(await metric(app, /^ecomalign_storage_writes_accepted /), 0);
    assert.ok((await metric(app, /^ecomalign_storage_free_bytes /)) > 0);

    // A delete either goes through or is refused whole, never half.
    const victim = acknowledged[0].id;
    const deleted = await app.inject({ method: 'DELETE', url: `/products/${victim}` });
    assert.ok([204, 507].includes(deleted.statusCode), deleted.body);
    await assertStored(app, [victim], deleted.statusCode === 507);

    // Space comes back; nothing else is done.
    await store.simulateFullDisk(false);
    const again = await post(app, refusedBatch);
    assert.equal(again.statusCode, 200, again.body);
    await assertStored(
      app,
      refusedBatch.map((p) => p.id),
      true,
    );
    await assertStored(
      app,
      acknowledged.slice(1).map((p) => p.id),
      true,
    );
    assert.equal((await align(app, ['sit by the fire on trip 1-7'])).json().steps[0].products[0].productId, 'b1-7');
    const after = await readiness(app);
    assert.equal(after.storage.writes, 'accepted');
    assert.equal(after.storage.lastRefusal, undefined);
    assert.equal(await metric(app, /^ecomalign_storage_writes_accepted /), 1);

    // The indexes hold exactly the catalog: nothing of the refused write lingered in them.
    const check = await store.checkIndexes();
    assert.deepEqual(check.extra, { intention: 0, title: 0 });
    assert.deepEqual(check.missing, { intention: 0, title: 0 });
  });

  it('refuses writes early below STORAGE_MIN_FREE_BYTES, reads unaffected', async (t) => {
    // A floor no volume can meet: every growing write is refused before SQLite is asked.
    const app = await build(t, { env: { STORAGE_MIN_FREE_BYTES: String(Number.MAX_SAFE_INTEGER) } });
    const refused = await post(app, products(0, 3));
    assert.equal(refused.statusCode, 507, refused.body);
    assert.match(refused.json().detail, /below the configured free-space floor/);
    await assertStored(app, ['b0-0'], false);
    assert.equal((await align(app, ['sit by the fire'])).statusCode, 200);
    const ready = await readiness(app);
    assert.equal(ready.storage.writes, 'refused');
    assert.equal(ready.storage.reason, 'below-floor');
    assert.equal(await metric(app, /^ecomalign_storage_refused_writes_total\{reason="below-floor"\}/), 1);
  });
});

describe('a full disk under the embedding cache', () => {
  it('skips and counts cache writes; reads and catalog writes are answered; the cache works again with space', async (t) => {
    const app = await build(t);
    assert.equal((await post(app, products(0, 20))).statusCode, 200);
    const cache = (app.services.get().embedder as CachedEmbedder).cache;
    const stored = cache.size();
    cache.capGrowth(true);

    // New steps on every request: the cache buffers 512 entries, then must write them, and cannot.
    let step = 0;
    const fresh = () => Array.from({ length: 64 }, () => `pack a camp chair for outing number ${step++}`);
    for (let i = 0; i < 10; i++) {
      const res = await align(app, fresh());
      assert.equal(res.statusCode, 200, `align ${i} while the cache cannot write: ${res.body}`);
    }
    const write = await post(app, products(1, 20));
    assert.equal(write.statusCode, 200, `a catalog write does not depend on the cache: ${write.body}`);

    const ready = await readiness(app);
    assert.ok(ready.storage.cache.writes >= 1, JSON.stringify(ready.storage));
    assert.ok(ready.storage.cache.droppedEntries >= 512);
    assert.equal(ready.storage.writes, 'accepted', 'the catalog still takes writes');
    assert.equal(await metric(app, /^ecomalign_embedding_cache_failures\{op="write"\}/), ready.storage.cache.writes);
    assert.equal(cache.size(), stored, 'nothing was written to the full cache');

    cache.capGrowth(false);
    const failed = ready.storage.cache.writes;
    for (let i = 0; i < 10; i++) assert.equal((await align(app, fresh())).statusCode, 200);
    assert.equal((await readiness(app)).storage.cache.writes, failed, 'no further failures once space is back');
    assert.ok(cache.size() > stored, 'the cache stores again');
  });
});
