import assert from 'node:assert/strict';
import { writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hnswlibIndexFactory } from '../../../src/store/ann/hnswlib-index.js';
import { type SearchOptions } from '../../../src/core/vector-store.js';
import { rng, unitVector } from '../../helpers/vectors.js';
import { DIM, openStore, randomProducts, tempDir } from '../../helpers/store-fixture.js';
import { ModelMismatchError } from '../../../src/core/errors.js';

const dirs: (() => void)[] = [];
after(() => dirs.forEach((cleanup) => cleanup()));
function freshDir() {
  const t = tempDir();
  dirs.push(t.cleanup);
  return t.dir;
}

describe('EmbeddedStore', () => {
  const items = randomProducts(120, 7);
  const random = rng(99);
  const queries = Array.from({ length: 25 }, () => unitVector(random, DIM));

  it('with the HNSW index, agrees with the exact store up to recall', async () => {
    const dir = freshDir();
    const many = randomProducts(1500, 11);
    const exact = await openStore(join(dir, 'exact'));
    const ann = await openStore(join(dir, 'ann'), hnswlibIndexFactory());
    await exact.upsert(many);
    await ann.upsert(many);
    const options: SearchOptions = { k: 10, threshold: -1, match: 'intentions' };
    const want = await exact.search(queries, options);
    const got = await ann.search(queries, options);
    let found = 0;
    queries.forEach((_, i) => {
      const truth = new Set(want[i].map((m) => m.productId));
      found += got[i].filter((m) => truth.has(m.productId)).length;
    });
    const recall = found / (queries.length * 10);
    assert.ok(recall >= 0.95, `recall@10 ${recall}`);
    await exact.close();
    await ann.close();
  });

  it('replaces a product on upsert and removes it on delete', async () => {
    const store = await openStore(freshDir());
    await store.upsert(items.slice(0, 10));
    const target = items[3];
    const query = target.texts[1].vector;
    let [res] = await store.search([query], { k: 1, threshold: 0.99, match: 'intentions' });
    assert.equal(res[0]?.productId, 'p3');
    // New content for p3: its old intention must no longer match.
    const replaced = randomProducts(1, 1234)[0];
    replaced.product = { ...replaced.product, id: 'p3' };
    await store.upsert([replaced]);
    [res] = await store.search([query], { k: 1, threshold: 0.99, match: 'intentions' });
    assert.equal(res.length, 0);
    assert.deepEqual((await store.get('p3'))?.intentions, replaced.product.intentions);
    assert.equal(await store.delete('p3'), true);
    assert.equal(await store.delete('p3'), false);
    assert.equal(await store.get('p3'), undefined);
    const stats = await store.stats();
    assert.equal(stats.products, 9);
    await store.close();
  });

  it('keeps everything across close and reopen, including deletions made after a snapshot', async () => {
    const dir = freshDir();
    let store = await openStore(dir, hnswlibIndexFactory());
    await store.upsert(items.slice(0, 60));
    await store.close(); // writes a snapshot
    store = await openStore(dir, hnswlibIndexFactory());
    await store.upsert(items.slice(60));
    await store.delete('p5');
    const before = await store.search(queries, { k: 5, threshold: 0, match: 'both' });
    const statsBefore = await store.stats();
    await store.close();
    store = await openStore(dir, hnswlibIndexFactory());
    assert.deepEqual(await store.stats(), statsBefore);
    assert.deepEqual(await store.search(queries, { k: 5, threshold: 0, match: 'both' }), before);
    assert.equal(await store.get('p5'), undefined);
    await store.close();
  });

  it('rebuilds the index from the catalog when the snapshot is corrupt', async () => {
    const dir = freshDir();
    let store = await openStore(dir, hnswlibIndexFactory());
    await store.upsert(items);
    const before = await store.search(queries, { k: 5, threshold: 0, match: 'intentions' });
    await store.close();
    const indexDir = join(dir, 'index');
    for (const name of readdirSync(indexDir)) if (name.endsWith('.ann')) writeFileSync(join(indexDir, name), 'garbage');
    store = await openStore(dir, hnswlibIndexFactory());
    const after = await store.search(queries, { k: 5, threshold: 0, match: 'intentions' });
    assert.deepEqual(
      after.map((r) => r.map((m) => m.productId)),
      before.map((r) => r.map((m) => m.productId)),
    );
    await store.close();
  });

  it('refuses to open a store built with another model or dimension', async () => {
    const dir = freshDir();
    const store = await openStore(dir);
    await store.close();
    await assert.rejects(openStore(dir, undefined, 'other-model'), (err: Error) => {
      assert.ok(err instanceof ModelMismatchError);
      assert.match(err.message, /test-model@1/);
      assert.match(err.message, /other-model/);
      return true;
    });
    await assert.rejects(openStore(dir, undefined, undefined, DIM * 2), ModelMismatchError);
  });

  it('rejects vectors of the wrong dimension without writing anything', async () => {
    const store = await openStore(freshDir());
    const bad = randomProducts(2, 5);
    bad[1].texts[0].vector = new Float32Array(DIM + 1);
    await assert.rejects(store.upsert(bad), ModelMismatchError);
    assert.equal((await store.stats()).products, 0);
    await store.close();
  });
});
