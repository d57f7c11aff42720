import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ftsQuery } from '../../../../src/store/embedded/index/fts-query.js';
import { openStore, randomProducts, tempDir, withWorkers } from '../../../helpers/store-fixture.js';

describe('BM25 in the embedded store (FTS5)', () => {
  it('quotes every word, drops stop words, and never passes FTS5 syntax through', () => {
    assert.equal(ftsQuery('Light the USB-C charcoal'), '"light" OR "usb" OR "c" OR "charcoal"');
    assert.equal(ftsQuery('the a of'), undefined);
    assert.equal(ftsQuery('AND "NEAR(x y)" title:* OR -'), '"near" OR "x" OR "y" OR "title"');
  });

  it('hostile queries match as text and never throw', async () => {
    const { dir, cleanup } = tempDir();
    const store = await openStore(dir);
    try {
      await store.upsert(randomProducts(10, 1));
      for (const q of ['"', "'; DROP TABLE texts; --", 'NEAR(', '*', '^product', 'title: 3', '\u0000', 'ünïcödé 製品']) {
        const [hits] = await store.lexicalSearch([q], { k: 3, match: 'both' });
        assert.ok(Array.isArray(hits), q);
      }
      assert.equal((await store.stats()).products, 10);
    } finally {
      await store.close();
      cleanup();
    }
  });

  it('a catalog written before the BM25 index existed gets it built on open, and it follows later writes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let store = await openStore(dir);
      await store.upsert(randomProducts(20, 2));
      await store.close();
      // Make the file look like one from before: no FTS table, no triggers.
      const raw = new Database(join(dir, 'catalog.sqlite'));
      raw.exec('DROP TRIGGER texts_fts_insert; DROP TRIGGER texts_fts_delete; DROP TRIGGER texts_fts_update; DROP TABLE texts_fts;');
      raw.close();
      store = await openStore(dir);
      try {
        const [hits] = await store.lexicalSearch(['intention 6 of product 13'], { k: 1, match: 'intentions' });
        assert.equal(hits[0]?.productId, 'p13');
        await store.delete('p13');
        const [after] = await store.lexicalSearch(['intention 6 of product 13'], { k: 20, match: 'intentions' });
        assert.ok(after.every((h) => h.productId !== 'p13'));
        const [product13] = await store.lexicalSearch(['13'], { k: 5, match: 'both' });
        assert.deepEqual(product13, []);
      } finally {
        await store.close();
      }
    } finally {
      cleanup();
    }
  });

  it('productTexts returns exactly the stored texts and vectors of the asked kinds; unknown ids are absent', async () => {
    const { dir, cleanup } = tempDir();
    const store = await openStore(dir);
    try {
      const items = randomProducts(6, 3);
      await store.upsert(items);
      const got = await store.productTexts(['p2', 'p5', 'nope'], ['intention']);
      assert.deepEqual([...got.keys()].sort(), ['p2', 'p5']);
      for (const id of ['p2', 'p5']) {
        const want = items.find((i) => i.product.id === id)!.texts.filter((t) => t.kind === 'intention');
        assert.deepEqual(
          got.get(id)!.map((t) => [t.kind, t.text, [...t.vector]]),
          want.map((t) => [t.kind, t.text, [...t.vector]]),
        );
      }
      const both = await store.productTexts(['p1'], ['intention', 'title']);
      assert.equal(both.get('p1')!.length, 1 + items[1].product.intentions.length);
    } finally {
      await store.close();
      cleanup();
    }
  });
});

describe('BM25 and stored texts through search workers', () => {
  it('are read on a worker, see every acknowledged write at once, and survive a worker crash', async () => {
    await withWorkers('ecomalign-bm25-workers-', async (store, workers) => {
      const items = randomProducts(30, 4);
      for (const item of items) {
        await store.upsert([item]);
        // Read-your-writes: the read is sent after the write's acknowledgement, on whichever worker.
        const title = item.product.title;
        const [hits] = await store.lexicalSearch([title], { k: 1, match: 'titles', filter: { productIds: [item.product.id] } });
        assert.equal(hits[0]?.productId, item.product.id, title);
      }
      const texts = await store.productTexts(['p7'], ['intention']);
      assert.deepEqual(
        texts.get('p7')!.map((t) => [...t.vector]),
        items[7].texts.filter((t) => t.kind === 'intention').map((t) => [...t.vector]),
      );
      await workers.crash(0);
      const [afterCrash] = await store.lexicalSearch(['intention 6 of product 20'], { k: 1, match: 'intentions' });
      assert.equal(afterCrash[0]?.productId, 'p20');
      await store.delete('p20');
      const [afterDelete] = await store.lexicalSearch(['intention 6 of product 20'], { k: 30, match: 'intentions' });
      assert.ok(afterDelete.every((h) => h.productId !== 'p20'));
    });
  });
});
