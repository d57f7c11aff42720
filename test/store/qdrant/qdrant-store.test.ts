/**
 * The Qdrant adapter's own behaviour (collection set-up, batching, failure handling, what readiness
 * probes cost), driven through the real client against the in-process TEST DOUBLE (fake-qdrant.ts),
 * not a real Qdrant.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QdrantStore, type QdrantStoreOptions } from '../../../src/store/qdrant/qdrant-store.js';
import { QdrantRequestError } from '../../../src/store/qdrant/retry.js';
import { type ProductUpsert, type StoreStats } from '../../../src/core/vector-store.js';
import { DIM, MODEL, randomProducts } from '../../helpers/store-fixture.js';
import { FakeQdrant, type RecordedRequest } from './fake-qdrant.js';
import { instantRetries, storeOptions } from './qdrant-fixture.js';
import { ModelMismatchError, StoreUnavailableError } from '../../../src/core/errors.js';

let fake: FakeQdrant;
let counter = 0;
before(async () => {
  fake = await FakeQdrant.start();
});
after(async () => {
  await fake.down();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.failures = [];
  fake.failIf = undefined;
  fake.dropMetadata = false;
});

function open(extra: Partial<QdrantStoreOptions> = {}, collection = `c${counter++}`) {
  return QdrantStore.open(
    storeOptions(fake.url, collection, { modelId: MODEL, dimension: DIM }, { retryDeps: instantRetries(), ...extra }),
  );
}

const requestsTo = (suffix: string) => fake.requests.filter((r) => r.path.endsWith(suffix));

describe('QdrantStore set-up', () => {
  it('creates the collection with the configured settings, model metadata and payload indexes', async () => {
    await open({ shards: 3, replicationFactor: 2, quantization: 'int8', onDisk: true }, 'created');
    const c = fake.collections.get('created')!;
    const params = c.config.params as Record<string, unknown>;
    assert.deepEqual(params.vectors, { size: DIM, distance: 'Cosine', on_disk: true });
    assert.equal(params.shard_number, 3);
    assert.equal(params.replication_factor, 2);
    assert.deepEqual(c.config.quantization_config, { scalar: { type: 'int8', quantile: 0.99, always_ram: true } });
    assert.deepEqual(c.config.metadata, { ecomalign: { modelId: MODEL, dimension: DIM, layout: 1 } });
    assert.deepEqual(Object.keys(c.payloadSchema).sort(), ['category', 'kind', 'ok0', 'ok1', 'ok2', 'ok3', 'productId']);
    // Opening again verifies and creates nothing.
    fake.requests.length = 0;
    await open({}, 'created');
    assert.equal(fake.requests.filter((r) => r.method === 'PUT').length, 0);
  });

  it('refuses a collection built with another model, saying how to proceed', async () => {
    await open({}, 'other-model');
    await assert.rejects(
      QdrantStore.open(storeOptions(fake.url, 'other-model', { modelId: 'Xenova/all-mpnet-base-v2', dimension: DIM })),
      (err: Error) => {
        assert.ok(err instanceof ModelMismatchError);
        assert.match(err.message, /"test-model@1" \(16 dimensions\)/);
        assert.match(err.message, /"Xenova\/all-mpnet-base-v2"/);
        assert.match(err.message, /QDRANT_COLLECTION/);
        assert.match(err.message, /curl -X DELETE <QDRANT_URL>\/collections\/other-model/);
        return true;
      },
    );
  });

  it('adopts an empty collection made without metadata, refuses a filled one', async () => {
    const put = (name: string) =>
      fetch(`${fake.url}/collections/${name}`, { method: 'PUT', body: JSON.stringify({ vectors: { size: DIM, distance: 'Cosine' } }) });
    await put('operator-made');
    const store = await open({}, 'operator-made');
    assert.deepEqual(fake.collections.get('operator-made')!.config.metadata, { ecomalign: { modelId: MODEL, dimension: DIM, layout: 1 } });
    await store.upsert(randomProducts(2, 1));
    await put('foreign');
    await fetch(`${fake.url}/collections/foreign/points`, {
      method: 'PUT',
      body: JSON.stringify({ points: [{ id: 1, vector: Array.from({ length: DIM }, () => 1), payload: {} }] }),
    });
    await assert.rejects(open({}, 'foreign'), /does not record which embedding model built it/);
  });

  it('explains a Qdrant that drops collection metadata (older than 1.16)', async () => {
    fake.dropMetadata = true;
    await assert.rejects(open({}, 'old-server'), /older than 1\.16/);
  });
});

describe('QdrantStore requests', () => {
  it('upserts in batches that wait for the write, then removes stale points and commits', async () => {
    const store = await open({ pointsPerRequest: 20 });
    const items = randomProducts(30, 2);
    const points = items.reduce((n, i) => n + i.texts.length, 0);
    fake.requests.length = 0;
    await store.upsert(items);
    const upserts = requestsTo('/points').filter((r) => r.method === 'PUT');
    assert.equal(upserts.length, Math.ceil(points / 20));
    assert.ok(upserts.every((r) => r.query.get('wait') === 'true' && r.body.points.length <= 20));
    const order = fake.requests.map((r) => r.path.split('/').slice(3).join('/'));
    assert.deepEqual([...new Set(order)], ['points', 'points/delete', 'points/batch'], 'write, remove stale, commit');
  });

  it('sends one grouping query per step, and none when a filter selects nothing', async () => {
    const store = await open();
    await store.upsert(randomProducts(10, 3));
    const queries = randomProducts(5, 4).map((i) => i.texts[0].vector);
    fake.requests.length = 0;
    const res = await store.search(queries, { k: 3, threshold: -1, match: 'intentions' });
    assert.equal(res.length, 5);
    assert.ok(res.every((r) => r.length === 3));
    assert.equal(requestsTo('/points/query/groups').length, 5);
    fake.requests.length = 0;
    assert.deepEqual(await store.search(queries, { k: 3, threshold: -1, match: 'both', filter: { productIds: [] } }), [[], [], [], [], []]);
    assert.equal(fake.requests.length, 0);
  });

  it('retries server errors transparently and does not retry a rejected request', async () => {
    const store = await open();
    await store.upsert(randomProducts(3, 5));
    fake.requests.length = 0;
    fake.failures = [503, 500];
    assert.equal((await store.stats()).products, 3);
    fake.requests.length = 0;
    fake.failures = [400];
    await assert.rejects(store.get('p1'), (err: Error) => err instanceof QdrantRequestError && err.status === 400);
    assert.equal(fake.requests.length, 1);
  });

  it('an update interrupted before its commit reads as missing, and the next upsert repairs it', async () => {
    const store = await open();
    const items = randomProducts(5, 6);
    await store.upsert(items);
    const replacement = { ...randomProducts(1, 77)[0], contentHash: 'new-p2' };
    replacement.product = { ...replacement.product, id: 'p2' };
    const oldIntention = items[2].texts[1].vector;
    for (const failingStep of ['/points/delete', '/points/batch']) {
      fake.failIf = (r) => (r.path.endsWith(failingStep) ? 400 : undefined);
      await assert.rejects(store.upsert([replacement]), (err: Error) => err instanceof QdrantRequestError && err.status === 400);
      fake.failIf = undefined;
      assert.equal((await store.contentHashes(['p2'])).has('p2'), false, `after a failure at ${failingStep}`);
      await store.upsert([replacement]);
      assert.equal((await store.contentHashes(['p2'])).get('p2'), 'new-p2');
      const [res] = await store.search([oldIntention], { k: 1, threshold: 0.99, match: 'intentions' });
      assert.equal(res.length, 0, 'stale intention removed');
      await store.upsert([{ ...items[2] }]); // back to the original for the next round
    }
  });
});

describe('QdrantStore when Qdrant is down', () => {
  it('fails fast with StoreUnavailableError, and works again when Qdrant is back', async () => {
    const store = await open({ pingCacheMs: 0 });
    await store.upsert(randomProducts(3, 8));
    await fake.down();
    try {
      const query = randomProducts(1, 9)[0].texts[0].vector;
      await assert.rejects(store.search([query], { k: 3, threshold: -1, match: 'intentions' }), (err: Error) => {
        assert.ok(err instanceof StoreUnavailableError);
        assert.equal(err.retryAfterSeconds, 5);
        return true;
      });
      await assert.rejects(store.ping(), StoreUnavailableError);
    } finally {
      await fake.up();
    }
    await store.ping();
    assert.equal((await store.stats()).products, 3);
  });

  it('answers repeated pings from one request per cache period', async () => {
    const deps = instantRetries();
    const store = await open({ retryDeps: deps, pingCacheMs: 1_000 });
    fake.requests.length = 0;
    await Promise.all([store.ping(), store.ping(), store.ping()]);
    await store.ping();
    assert.equal(requestsTo('/exists').length, 1);
    await deps.sleep(1_000); // the clock moves on
    await store.ping();
    assert.equal(requestsTo('/exists').length, 2);
  });

  it('reports a collection deleted under it as not ready', async () => {
    const store = await open({ pingCacheMs: 0 }, 'deleted-later');
    fake.collections.delete('deleted-later');
    await assert.rejects(store.ping(), /no longer exists/);
  });
});

const PERIOD_MS = 1_000;

/** A store on a fake clock, so "within the cache period" does not depend on the machine's speed. */
async function openCached() {
  const clock = instantRetries();
  const store = await open({ retryDeps: clock, pingCacheMs: PERIOD_MS, statsCacheMs: PERIOD_MS });
  return { store, clock };
}

/** stats()'s counts are by kind; delete()'s lookup count is by product and is not one of them. */
const isStatsCount = (r: RecordedRequest) => r.path.endsWith('/points/count') && r.body?.filter?.must?.[0]?.key === 'kind';
const statsCounts = () => fake.requests.filter(isStatsCount).length;
const pings = () => requestsTo('/exists').length;

function countsOf(items: readonly ProductUpsert[]): StoreStats {
  return { products: items.length, titles: items.length, intentions: items.reduce((n, i) => n + i.product.intentions.length, 0) };
}

describe('QdrantStore health under a flood of readiness probes', () => {
  it('answers 200 concurrent ping()+stats() with at most one ping and one pair of counts per cache period', async () => {
    const { store, clock } = await openCached();
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
    const { store } = await openCached();
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
    await assert.rejects(store.upsert([changed]), (err: Error) => err instanceof QdrantRequestError && err.status === 400);
    fake.failIf = undefined;
    await store.stats();
    assert.equal(statsCounts(), before + 2, 'after a failed upsert');

    await store.close();
    await assert.rejects(store.stats(), /store is closed/, 'a closed store does not answer from the cache');
  });

  it('does not cache a failing count as success: the failure is the answer for its period, then Qdrant is asked again', async () => {
    const { store, clock } = await openCached();
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
