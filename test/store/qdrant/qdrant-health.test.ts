/**
 * What readiness probes cost Qdrant: ping() and stats() answer a flood of callers from one request
 * (one pair of counts) per cache period, yet a caller that writes sees its own write in stats() at
 * once. Driven through the real client against the in-process TEST DOUBLE (fake-qdrant.ts), with a
 * fake clock (instantRetries) so "within the period" does not depend on the machine's speed.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QdrantStore } from '../../../src/store/qdrant/qdrant-store.js';
import { QdrantRequestError } from '../../../src/store/qdrant/retry.js';
import type { ProductUpsert, StoreStats } from '../../../src/core/vector-store.js';
import { DIM, MODEL, randomProducts } from '../embedded/store-fixture.js';
import { FakeQdrant, type RecordedRequest } from './fake-qdrant.js';
import { instantRetries, storeOptions } from './qdrant-fixture.js';

let fake: FakeQdrant;
let counter = 0;
before(async () => {
  fake = await FakeQdrant.start();
});
after(async () => {
  await fake.down();
});
beforeEach(() => {
  fake.failIf = undefined;
});

const PERIOD_MS = 1_000;

async function open() {
  const clock = instantRetries();
  const store = await QdrantStore.open(
    storeOptions(fake.url, `health${counter++}`, { modelId: MODEL, dimension: DIM }, { retryDeps: clock, pingCacheMs: PERIOD_MS, statsCacheMs: PERIOD_MS }),
  );
  return { store, clock };
}

/** stats()'s counts are by kind; delete()'s lookup count is by product and is not one of them. */
const isStatsCount = (r: RecordedRequest) => r.path.endsWith('/points/count') && r.body?.filter?.must?.[0]?.key === 'kind';
const statsCounts = () => fake.requests.filter(isStatsCount).length;
const pings = () => fake.requests.filter((r) => r.path.endsWith('/exists')).length;

function countsOf(items: readonly ProductUpsert[]): StoreStats {
  return { products: items.length, titles: items.length, intentions: items.reduce((n, i) => n + i.product.intentions.length, 0) };
}

describe('QdrantStore health under a flood of readiness probes', () => {
  it('answers 200 concurrent ping()+stats() with at most one ping and one pair of counts per cache period', async () => {
    const { store, clock } = await open();
    const items = randomProducts(4, 21);
    await store.upsert(items);
    fake.requests.length = 0;
    // Fired at once: all share the requests in flight.
    const together = await Promise.all(Array.from({ length: 200 }, () => Promise.all([store.ping(), store.stats()])));
    for (const [, stats] of together) assert.deepEqual(stats, countsOf(items));
    // As /readyz does it (ping, then stats): answered from the settled results.
    const probe = async () => {
      await store.ping();
      return store.stats();
    };
    for (const stats of await Promise.all(Array.from({ length: 200 }, probe))) assert.deepEqual(stats, countsOf(items));
    assert.equal(pings(), 1);
    assert.equal(statsCounts(), 2);
    await clock.sleep(PERIOD_MS); // the next period
    await Promise.all(Array.from({ length: 200 }, probe));
    assert.equal(pings(), 2);
    assert.equal(statsCounts(), 4);
    await store.close();
  });

  it('asks Qdrant again after this store writes (upsert, delete, even a failed write), so a writer sees its own write', async () => {
    const { store } = await open();
    const items = randomProducts(5, 22);
    await store.upsert(items.slice(0, 3));
    fake.requests.length = 0;
    assert.deepEqual(await store.stats(), countsOf(items.slice(0, 3)));
    assert.deepEqual(await store.stats(), countsOf(items.slice(0, 3)));
    assert.equal(statsCounts(), 2, 'cached within the period');

    await store.upsert(items.slice(3, 4));
    assert.deepEqual(await store.stats(), countsOf(items.slice(0, 4)), 'after an upsert');
    assert.equal(statsCounts(), 4);

    assert.equal(await store.delete('p0'), true);
    assert.deepEqual(await store.stats(), countsOf(items.slice(1, 4)), 'after a delete');
    assert.equal(statsCounts(), 6);

    // Counts that start while a write is under way may miss it: not reused once the write is done.
    assert.equal(await store.delete('p1'), true);
    const writing = store.upsert(items.slice(4, 5));
    const during = store.stats();
    await writing;
    assert.deepEqual(await store.stats(), countsOf(items.slice(2, 5)), 'after an upsert that overlapped counts');
    await during;
    assert.equal(statsCounts(), 10);

    // A write that fails after its first step has still changed the collection.
    const before = statsCounts();
    const changed = { ...randomProducts(1, 23)[0], contentHash: 'changed-p1' };
    changed.product = { ...changed.product, id: 'p1' };
    fake.failIf = (r) => (r.path.endsWith('/points/batch') ? 400 : undefined);
    await assert.rejects(store.upsert([changed]));
    fake.failIf = undefined;
    await store.stats();
    assert.equal(statsCounts(), before + 2, 'after a failed upsert');

    await store.close();
    await assert.rejects(store.stats(), /store is closed/, 'a closed store does not answer from the cache');
  });

  it('does not cache a failing count as success: the failure is the answer for its period, then Qdrant is asked again', async () => {
    const { store, clock } = await open();
    const items = randomProducts(3, 24);
    await store.upsert(items);
    fake.requests.length = 0;
    // The title count succeeds, the intention count is refused: no half answer.
    fake.failIf = (r) => (isStatsCount(r) && r.body.filter.must[0].match.value === 'intention' ? 400 : undefined);
    const refused = await Promise.allSettled(Array.from({ length: 50 }, () => store.stats()));
    assert.ok(refused.every((r) => r.status === 'rejected' && r.reason instanceof QdrantRequestError && r.reason.status === 400));
    assert.equal(statsCounts(), 2, 'one pair of counts for the 50 callers');
    fake.failIf = undefined;
    await assert.rejects(store.stats(), QdrantRequestError, 'still the failure within its period, never a success');
    assert.equal(statsCounts(), 2);
    await clock.sleep(PERIOD_MS);
    assert.deepEqual(await store.stats(), countsOf(items), 'asked again in the next period');
    assert.equal(statsCounts(), 4);
    await store.close();
  });
});
