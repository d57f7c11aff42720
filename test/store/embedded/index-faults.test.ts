import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AnnIndexFactory } from '../../../src/store/ann/ann-index.js';
import { exactIndexFactory } from '../../../src/store/ann/exact-index.js';
import { hnswlibIndexFactory } from '../../../src/store/ann/hnswlib-index.js';
import { usearchIndexFactory } from '../../../src/store/ann/usearch-index.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { ProductUpsert } from '../../../src/core/vector-store.js';
import { rng } from '../../helpers/vectors.js';
import { faultyAnnFactory } from '../ann/faulty-ann.js';
import { DIM, MODEL, randomProducts, tempDir } from '../../helpers/store-fixture.js';

/**
 * The store under an ANN index that throws on random adds (after inserting part of the batch)
 * and removals: every acknowledged product must stay findable by its own title, no deleted or
 * replaced text may come back, and this must hold after a restart too.
 */

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

/** Every live product is the top title hit for its own title vector; no other product is. */
async function assertFindable(store: EmbeddedStore, live: Map<string, ProductUpsert>, context: string): Promise<void> {
  const ids = [...live.keys()];
  const queries = ids.map((id) => live.get(id)!.texts.find((t) => t.kind === 'title')!.vector);
  const results = await store.search(queries, { k: 1, threshold: 0.999, match: 'titles' });
  const wrong = ids.filter((id, i) => results[i][0]?.productId !== id);
  assert.deepEqual(wrong, [], `${context}: products not found by their own title`);
  assert.equal((await store.stats()).products, live.size, `${context}: product count`);
}

const inners: [string, AnnIndexFactory][] = [
  ['exact', exactIndexFactory],
  ['hnswlib', hnswlibIndexFactory()],
  ['usearch', usearchIndexFactory({ quantization: 'f32' })],
];

for (const [name, inner] of inners) {
  describe(`EmbeddedStore over a failing ${name} index`, () => {
    for (const seed of [1, 2, 3]) {
      it(`seed ${seed}: every acknowledged product is findable, before and after a restart`, async () => {
        const { dir, cleanup } = tempDir();
        cleanups.push(cleanup);
        const random = rng(seed);
        const plan = { random, addFailureRate: 0.4, removeFailureRate: 0.3, partial: true };
        const faulty = faultyAnnFactory(inner, plan);
        const open = () => EmbeddedStore.open({ dataDir: dir, modelId: MODEL, dimension: DIM, annFactory: faulty, checkIntervalS: 0 });
        let store = await open();
        const live = new Map<string, ProductUpsert>();
        const pool = randomProducts(400, seed * 100);
        let version = 0;
        for (let op = 0; op < 30; op++) {
          if (random() < 0.2 && live.size > 0) {
            const ids = [...live.keys()];
            const id = ids[Math.floor(random() * ids.length)];
            assert.equal(await store.delete(id), true);
            live.delete(id);
          } else {
            const size = 1 + Math.floor(random() * 60);
            // Fresh vectors each time: an update replaces every text of the product.
            const batch = randomProducts(size, seed * 1000 + ++version).map((p, i) => {
              const id = pool[Math.floor(random() * pool.length)].product.id;
              return { ...p, product: { ...p.product, id, title: `${id} v${version}.${i}` }, contentHash: `v${version}.${i}` };
            });
            await store.upsert(batch);
            for (const p of batch) live.set(p.product.id, p);
          }
          await assertFindable(store, live, `after op ${op}`);
          // Every other operation drives the mover through the whole backlog (so the plan's faults
          // surely hit it, however busy the machine); in between it runs in the background.
          if (op % 2 === 0) await store.flushIndex();
          else await new Promise((r) => setTimeout(r, 2));
        }
        assert.ok(faulty.counts.addFailures > 0, `the plan injected add failures: ${JSON.stringify(faulty.counts)}`);
        await store.close();

        store = await open();
        await assertFindable(store, live, 'after restart');
        // With the faults gone, the backlog drains into the ANN index and the check finds nothing missing.
        plan.addFailureRate = 0;
        plan.removeFailureRate = 0;
        await waitFor(() => store.indexHealth().pendingTexts === 0 && store.indexHealth().pendingRemovals === 0, 'the backlog to drain');
        const report = await store.checkIndexes();
        assert.deepEqual(report.missing, { intention: 0, title: 0 });
        assert.deepEqual(report.extra, { intention: 0, title: 0 });
        await assertFindable(store, live, 'after the backlog drained');
        await store.close();
      });
    }
  });
}

/**
 * A store over a fault-free wrapped exact index, holding `count` products whose texts have all
 * reached the ANN index, and the wrapper, so a test can damage the index behind the store's back.
 */
async function drainedStore(count: number, seed: number) {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const faulty = faultyAnnFactory(exactIndexFactory, { random: rng(1), addFailureRate: 0, removeFailureRate: 0 });
  const store = await EmbeddedStore.open({ dataDir: dir, modelId: MODEL, dimension: DIM, annFactory: faulty, checkIntervalS: 0 });
  const items = randomProducts(count, seed);
  await store.upsert(items);
  await waitFor(() => store.indexHealth().pendingTexts === 0, 'the backlog to drain');
  const live = new Map(items.map((p) => [p.product.id, p]));
  // The title index is the second one the store creates; a product's title is its first text.
  const titleLabelOf = (p: ProductUpsert) => faulty.innerIndexes[1].search(p.texts[0].vector, 1).labels[0];
  return { store, items, live, titles: faulty.wrapped[1], innerTitles: faulty.innerIndexes[1], titleLabelOf };
}

describe('the index check', () => {
  it('finds texts an index lost behind the store’s back, puts them back, and reports it', async () => {
    const { store, items, live, innerTitles, titleLabelOf } = await drainedStore(50, 77);
    try {
      // Silently drop five titles, as a buggy native index might.
      items
        .slice(0, 5)
        .map(titleLabelOf)
        .forEach((label) => innerTitles.remove(label));
      await assert.rejects(assertFindable(store, live, 'after the loss'), /not found by their own title/);
      const report = await store.checkIndexes();
      assert.deepEqual(report.missing, { intention: 0, title: 5 });
      assert.deepEqual(store.indexHealth().lastCheck?.missing, { intention: 0, title: 5 });
      await assertFindable(store, live, 'after the check');
      await waitFor(() => store.indexHealth().pendingTexts === 0, 'the repaired texts to reach HNSW');
      assert.deepEqual((await store.checkIndexes()).missing, { intention: 0, title: 0 });
    } finally {
      await store.close();
    }
  });

  it('finds texts the index holds but no search returns (the reachability probe), and re-inserts them', async () => {
    const { store, items, live, titles, titleLabelOf } = await drainedStore(40, 78);
    try {
      // Three titles become ghosts: the index still "has" them, no search returns them.
      items
        .slice(0, 3)
        .map(titleLabelOf)
        .forEach((label) => titles.ghosts.add(label));
      await assert.rejects(assertFindable(store, live, 'with ghosts'), /not found by their own title/);
      const report = await store.checkIndexes();
      assert.deepEqual(report.missing, { intention: 0, title: 0 }, 'membership alone sees nothing wrong');
      assert.deepEqual(report.unreachable, { intention: 0, title: 3 });
      await assertFindable(store, live, 'after the probe');
      await waitFor(() => store.indexHealth().pendingTexts === 0, 'the re-inserted texts to reach HNSW');
      await assertFindable(store, live, 'after re-insertion');
      assert.deepEqual((await store.checkIndexes()).unreachable, { intention: 0, title: 0 });
    } finally {
      await store.close();
    }
  });
});
