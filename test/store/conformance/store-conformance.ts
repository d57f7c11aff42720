/**
 * Behaviour every VectorStore must show, the same cases and the same expected results for each
 * implementation: run by test/store/embedded/embedded-conformance.test.ts always, and by
 * test/store/qdrant/qdrant-conformance.test.ts against a real Qdrant when QDRANT_URL is set (and
 * against the in-process test double always). Data: seeded random vectors, so the expected answer
 * is computed by brute force and there are no ties.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Product } from '../../../src/core/product.js';
import {
  type LexicalMatch,
  type LexicalSearchOptions,
  type ProductUpsert,
  type SearchOptions,
  type StoredText,
  type VectorStore,
} from '../../../src/core/vector-store.js';
import { rng, unitVector } from '../../helpers/vectors.js';
import { DIM, MODEL, randomProducts } from '../../helpers/store-fixture.js';
import { bruteForce } from './brute-force.js';
import { ModelMismatchError } from '../../../src/core/errors.js';

export interface StoreModel {
  modelId: string;
  dimension: number;
}

export interface StoreUnderTest {
  store: VectorStore;
  /** Opens the same location again (after the caller closed `store`), optionally with another model. */
  reopen(model?: StoreModel): Promise<VectorStore>;
  /** Removes the location (temp folder, collection). */
  cleanup(): Promise<void>;
}

/** Opens a store on a new, empty location with the given model. */
export type OpenFreshStore = (model: StoreModel) => Promise<StoreUnderTest>;

export interface ConformanceRunOptions {
  /** A reason to skip the whole suite (shown in the test report), or false to run it. */
  skip?: string | false;
}

const SEARCH_CASES: SearchOptions[] = [
  { k: 5, threshold: 0.2, match: 'intentions' },
  { k: 3, threshold: 0.0, match: 'titles' },
  { k: 7, threshold: 0.1, match: 'both' },
  { k: 50, threshold: 0.5, match: 'intentions' },
  { k: 4, threshold: -1, match: 'intentions', filter: { categories: ['b'] } },
  { k: 4, threshold: 0, match: 'both', filter: { categories: ['a', 'c'] } },
  { k: 4, threshold: 0, match: 'both', filter: { productIds: ['p1', 'p2', 'p3', 'p10', 'p11', 'nope'] } },
  { k: 4, threshold: 0, match: 'intentions', filter: { productIds: ['p1', 'p2', 'p4'], categories: ['b'] } },
  { k: 4, threshold: 0, match: 'intentions', filter: { categories: ['unknown'] } },
  { k: 4, threshold: -1, match: 'intentions', filter: { productIds: [] } },
];

export function runStoreConformance(name: string, openFresh: OpenFreshStore, options: ConformanceRunOptions = {}): void {
  describe(`VectorStore conformance: ${name}`, { skip: options.skip || false }, () => {
    const opened: StoreUnderTest[] = [];
    after(async () => {
      for (const s of opened) await s.cleanup();
    });
    const fresh = async (model: StoreModel = { modelId: MODEL, dimension: DIM }) => {
      const s = await openFresh(model);
      opened.push(s);
      return s;
    };
    const items = randomProducts(80, 7);
    const random = rng(99);
    const queries = Array.from({ length: 12 }, () => unitVector(random, DIM));

    it('answers like a brute-force scan for every match mode, threshold and filter', async () => {
      const { store } = await fresh();
      await store.upsert(items);
      for (const search of SEARCH_CASES) {
        const got = await store.search(queries, search);
        assert.equal(got.length, queries.length);
        queries.forEach((q, i) => {
          const want = bruteForce(items, q, search);
          assert.deepEqual(
            got[i].map((m) => [m.productId, m.matched.text]),
            want.map((w) => [w.productId, w.text]),
            `${JSON.stringify(search)} query ${i}`,
          );
          got[i].forEach((m, j) => assert.ok(Math.abs(m.score - want[j].score) < 1e-5, `score ${m.score} vs ${want[j].score}`));
        });
      }
      await store.close();
    });

    it('returns each product at most once per query, with its title, category and matched kind and text', async () => {
      const { store } = await fresh();
      await store.upsert(items);
      const [res] = await store.search([queries[0]], { k: 20, threshold: -1, match: 'both' });
      assert.equal(res.length, 20);
      assert.equal(new Set(res.map((m) => m.productId)).size, 20);
      for (let j = 1; j < res.length; j++) assert.ok(res[j].score <= res[j - 1].score, 'best first');
      for (const m of res) {
        const item = items.find((i) => i.product.id === m.productId)!;
        assert.equal(m.title, item.product.title);
        assert.equal(m.category, item.product.category);
        assert.ok(item.texts.some((t) => t.kind === m.matched.kind && t.text === m.matched.text));
      }
      await store.close();
    });

    it('is idempotent: upserting the same products again changes nothing', async () => {
      const { store } = await fresh();
      await store.upsert(items.slice(0, 30));
      const options: SearchOptions = { k: 5, threshold: 0, match: 'both' };
      const before = await store.search(queries, options);
      const statsBefore = await store.stats();
      await store.upsert(items.slice(0, 30));
      assert.deepEqual(await store.stats(), statsBefore);
      assert.deepEqual(strip(await store.search(queries, options)), strip(before));
      await store.close();
    });

    it('replaces a product whose texts changed: old texts stop matching, new ones match', async () => {
      const { store } = await fresh();
      await store.upsert(items.slice(0, 10));
      const target = items[3];
      const oldIntention = target.texts.find((t) => t.kind === 'intention')!;
      let [res] = await store.search([oldIntention.vector], { k: 1, threshold: 0.99, match: 'intentions' });
      assert.equal(res[0]?.productId, 'p3');
      const replaced = randomProducts(1, 1234)[0];
      const product: Product = {
        ...replaced.product,
        id: 'p3',
        title: 'A new title',
        intentions: ['a brand new intention', 'and another'],
      };
      const update: ProductUpsert = {
        product,
        contentHash: 'changed-p3',
        texts: [
          { kind: 'title', text: product.title, vector: replaced.texts[0].vector },
          { kind: 'intention', text: 'a brand new intention', vector: replaced.texts[1].vector },
          { kind: 'intention', text: 'and another', vector: unitVector(rng(5), DIM) },
        ],
      };
      await store.upsert([update]);
      [res] = await store.search([oldIntention.vector], { k: 1, threshold: 0.99, match: 'intentions' });
      assert.equal(res.length, 0, 'the old intention is gone');
      [res] = await store.search([update.texts[1].vector], { k: 1, threshold: 0.99, match: 'intentions' });
      assert.deepEqual(strip([res])[0], [['p3', 'intention', 'a brand new intention']]);
      assert.equal(res[0].title, 'A new title');
      [res] = await store.search([update.texts[0].vector], { k: 1, threshold: 0.99, match: 'titles' });
      assert.deepEqual(strip([res])[0], [['p3', 'title', 'A new title']]);
      assert.deepEqual(await store.get('p3'), product);
      assert.equal((await store.contentHashes(['p3'])).get('p3'), 'changed-p3');
      const expected = countsOf([...items.slice(0, 10).filter((i) => i.product.id !== 'p3'), update]);
      assert.deepEqual(await store.stats(), expected);
      await store.close();
    });

    it('deletes a product with all its texts', async () => {
      const { store } = await fresh();
      await store.upsert(items.slice(0, 10));
      assert.equal(await store.delete('p3'), true);
      assert.equal(await store.delete('p3'), false);
      assert.equal(await store.delete('never-existed'), false);
      assert.equal(await store.get('p3'), undefined);
      assert.equal((await store.contentHashes(['p3'])).size, 0);
      for (const t of items[3].texts) {
        const [res] = await store.search([t.vector], { k: 10, threshold: -1, match: 'both' });
        assert.ok(!res.some((m) => m.productId === 'p3'));
      }
      assert.deepEqual(await store.stats(), countsOf(items.slice(0, 10).filter((i) => i.product.id !== 'p3')));
      await store.close();
    });

    it('gets a product back as stored (category, attributes), undefined when unknown', async () => {
      const { store } = await fresh();
      const plain = withProduct(items[0], { id: 'plain', title: 'Plain', intentions: ['because they want plain things'] });
      const rich = withProduct(items[1], {
        id: 'rich',
        title: 'Rich',
        category: 'grilling',
        intentions: ['because they want to grill'],
        attributes: { brand: 'Emberline', price: 169, tags: ['outdoor', 'steel'], nested: { a: 1 } },
      });
      await store.upsert([plain, rich]);
      assert.deepEqual(await store.get('plain'), plain.product);
      assert.deepEqual(await store.get('rich'), rich.product);
      assert.equal(await store.get('missing'), undefined);
      const [res] = await store.search([plain.texts[0].vector], { k: 1, threshold: 0.99, match: 'titles' });
      assert.equal(res[0].category, null, 'no category is null');
      await store.close();
    });

    it('pages through every product in byte-wise id order with listProducts', async () => {
      const { store } = await fresh();
      const long = 'a-very-long-shared-product-id-prefix-';
      const odd = [
        'p1',
        'p10',
        'p2',
        'P3',
        `${long}2`,
        `${long}10`,
        `${long}1`,
        'zz',
        'é-accent',
        'e',
        'sku-000001',
        'sku-000002',
        'sku-0000010',
      ];
      const extra = odd.map((id, i) => withProduct(items[i], { id, title: `T ${id}`, intentions: [`intention of ${id}`] }));
      const all = [...items.slice(20, 50), ...extra];
      await store.upsert(all);
      const expected = all.map((i) => i.product.id).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      for (const limit of [2, 7, 100]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (;;) {
          const page = await store.listProducts({ after: cursor, limit });
          if (page.length === 0) break;
          assert.ok(page.length <= limit);
          seen.push(...page.map((p) => p.id));
          cursor = page[page.length - 1].id;
        }
        assert.deepEqual(seen, expected, `limit ${limit}`);
      }
      const [first] = await store.listProducts({ limit: 1 });
      assert.deepEqual(first, all.find((i) => i.product.id === first.id)!.product);
      assert.deepEqual(
        (await store.listProducts({ after: `${long}10`, limit: 2 })).map((p) => p.id),
        [`${long}2`, 'e'],
      );
      assert.deepEqual(await store.listProducts({ after: '\uffff', limit: 5 }), []);
      await store.close();
    });

    it('reports content hashes of stored products only', async () => {
      const { store } = await fresh();
      await store.upsert(items.slice(0, 5));
      const hashes = await store.contentHashes(['p0', 'p4', 'p9', 'nope', 'p0']);
      assert.deepEqual([...hashes.entries()].sort(), [
        ['p0', items[0].contentHash],
        ['p4', items[4].contentHash],
      ]);
      assert.equal((await store.contentHashes([])).size, 0);
      await store.close();
    });

    it('counts products, intentions and titles', async () => {
      const { store } = await fresh();
      assert.deepEqual(await store.stats(), { products: 0, intentions: 0, titles: 0 });
      await store.upsert(items);
      assert.deepEqual(await store.stats(), countsOf(items));
      await store.close();
    });

    it('keeps its data across close and reopen, and refuses another model or dimension', async () => {
      const handle = await fresh();
      await handle.store.upsert(items.slice(0, 10));
      await handle.store.close();
      const again = await handle.reopen();
      assert.deepEqual(await again.stats(), countsOf(items.slice(0, 10)));
      assert.deepEqual(await again.get('p2'), items[2].product);
      await again.close();
      await assert.rejects(handle.reopen({ modelId: 'another-model', dimension: DIM }), (err: Error) => {
        assert.ok(err instanceof ModelMismatchError, err.message);
        assert.match(err.message, /another-model/);
        assert.match(err.message, new RegExp(MODEL));
        return true;
      });
      await assert.rejects(handle.reopen({ modelId: MODEL, dimension: DIM * 2 }), ModelMismatchError);
      await assert.rejects(
        handle.store.upsert([{ ...items[0], texts: [{ kind: 'title', text: 'x', vector: new Float32Array(DIM + 1) }] }]),
        (err: Error) => err instanceof ModelMismatchError && err.message.includes(`vector of dimension ${DIM + 1}`),
      );
    });

    /*
     * productTexts and lexicalSearch. Vectors: the embedded store returns the float32 values written;
     * a Qdrant Cosine collection normalises on write and returns the normalised values, so vectors are
     * compared within 1e-6 (the fixture's vectors are unit length already). Order of a product's
     * texts is not part of the port: compared sorted.
     *
     * BM25 differs between the stores by design, so the lexical cases assert which products come back,
     * their order where one product clearly matches more rare query words than the next, and which of
     * their texts matched; never raw scores:
     * - Tokens. Embedded: FTS5 `porter unicode61 remove_diacritics 2` (Porter stemming, texts keep their
     *   stop words). Qdrant: the `qdrant/bm25` model (word tokenizer, lowercase, English Snowball
     *   stemming, English stop words removed from texts and queries, ASCII folding on to match
     *   remove_diacritics). Both drop core/stop-words.ts from the query first. The Qdrant test double
     *   (fake-qdrant.ts) neither stems nor drops stop words, so the cases use query words exactly as
     *   they appear in the texts and no word whose match depends on stemming.
     * - IDF. FTS5: ln((N − n + 0.5)/(n + 0.5)), floored at 1e-6 for a word in over half the texts;
     *   Qdrant's idf modifier: ln(1 + (N − n + 0.5)/(n + 0.5)), always positive. N counts texts of
     *   both kinds in both stores.
     * - Length. Both k1 = 1.2, b = 0.75; FTS5 divides by the index's actual average text length,
     *   Qdrant by avg_len fixed when the text was written (lexical-index.ts BM25_OPTIONS).
     * - Scale. Hence different scores for the same text: the saturation constant of
     *   align/scoring/lexical-scale.ts was measured on FTS5; thresholds are recalibrated per store.
     * - Depth. Embedded lists a product's matching texts found within its search depth; Qdrant lists
     *   all of them (one group per product holds up to 65 texts).
     */
    const lexicalCatalog = (): ProductUpsert[] => {
      const specs: Product[] = [
        { id: 'lamp', title: 'Brass desk lamp', category: 'home', intentions: ['to read in bed at night', 'to light a dark workspace'] },
        {
          id: 'kettle',
          title: 'Electric kettle',
          category: 'kitchen',
          intentions: ['to boil water quickly for tea', 'because they drink tea every morning'],
        },
        { id: 'teapot', title: 'Ceramic teapot', category: 'kitchen', intentions: ['to brew loose leaf tea', 'to serve tea to guests'] },
        {
          id: 'tent',
          title: 'Two person tent',
          category: 'outdoor',
          intentions: ['to sleep outside while camping', 'to shelter from rain'],
        },
        { id: 'stove', title: 'Camping stove', category: 'outdoor', intentions: ['to cook meals while camping', 'to boil water outdoors'] },
        { id: 'zither', title: 'Concert zither', category: 'music', intentions: ['to play folk songs at home'] },
      ];
      // Filler products ("Product 3", "intention 1 of product 3") make the test words rare, as in a catalog.
      return [...items.slice(0, 30), ...specs.map((p, i) => withProduct(items[40 + i], p))];
    };
    const ids = (lists: LexicalMatch[][]) => lists.map((list) => list.map((m) => m.productId));
    const sortedTexts = (texts: readonly { kind: string; text: string }[]) => texts.map((t) => `${t.kind}:${t.text}`).sort();

    it('productTexts: every text of the asked kinds with its stored vector; unknown and deleted ids absent', async () => {
      const { store } = await fresh();
      const written = items.slice(0, 10);
      await store.upsert(written);
      const check = (got: Map<string, StoredText[]>, id: string, kinds: string[]) => {
        const want = written.find((i) => i.product.id === id)!.texts.filter((t) => kinds.includes(t.kind));
        const texts = got.get(id);
        assert.ok(texts, `${id} present`);
        assert.deepEqual(sortedTexts(texts), sortedTexts(want), id);
        for (const t of texts) {
          const w = want.find((x) => x.kind === t.kind && x.text === t.text)!;
          assert.equal(t.vector.length, DIM);
          t.vector.forEach((x, d) => assert.ok(Math.abs(x - w.vector[d]) < 1e-6, `${id} ${t.text} [${d}]: ${x} vs ${w.vector[d]}`));
        }
      };
      const both = await store.productTexts(['p1', 'p6', 'nope', 'p1'], ['intention', 'title']);
      assert.deepEqual([...both.keys()].sort(), ['p1', 'p6']);
      check(both, 'p1', ['intention', 'title']);
      check(both, 'p6', ['intention', 'title']);
      const titles = await store.productTexts(['p6'], ['title']);
      check(titles, 'p6', ['title']);
      assert.equal(titles.get('p6')!.length, 1);
      const intentions = await store.productTexts(['p6', 'p0'], ['intention']);
      check(intentions, 'p6', ['intention']);
      check(intentions, 'p0', ['intention']);
      assert.equal((await store.productTexts([], ['title'])).size, 0);
      assert.equal((await store.productTexts(['p1'], [])).size, 0);
      assert.equal(await store.delete('p6'), true);
      assert.deepEqual([...(await store.productTexts(['p6', 'p1'], ['intention', 'title'])).keys()], ['p1']);
      await store.close();
    });

    it('productTexts after an update returns the new texts only', async () => {
      const { store } = await fresh();
      await store.upsert(items.slice(0, 5));
      const update = withProduct(items[9], { id: 'p2', title: 'Renamed', intentions: ['a new reason'] });
      await store.upsert([update]);
      const got = (await store.productTexts(['p2'], ['intention', 'title'])).get('p2')!;
      assert.deepEqual(sortedTexts(got), sortedTexts(update.texts));
      await store.close();
    });

    it('lexicalSearch: the product whose text holds the rare query words ranks first, with its matching texts best first', async () => {
      const { store } = await fresh();
      await store.upsert(lexicalCatalog());
      const [zither, tea] = await store.lexicalSearch(['a zither for my daughter', 'boil water for tea'], { k: 5, match: 'both' });
      assert.deepEqual(
        zither.map((m) => [m.productId, m.title, m.category, sortedTexts(m.texts)]),
        [['zither', 'Concert zither', 'music', ['title:Concert zither']]],
      );
      // kettle: one text with all three words; stove: two; teapot: one. Ranks agree in both stores.
      assert.deepEqual(
        tea.map((m) => m.productId),
        ['kettle', 'stove', 'teapot'],
      );
      const kettle = tea[0];
      assert.deepEqual(kettle.texts[0], { ...kettle.texts[0], kind: 'intention', text: 'to boil water quickly for tea' });
      assert.deepEqual(sortedTexts(kettle.texts), [
        'intention:because they drink tea every morning',
        'intention:to boil water quickly for tea',
      ]);
      assert.deepEqual(sortedTexts(tea[1].texts), ['intention:to boil water outdoors']);
      assert.deepEqual(sortedTexts(tea[2].texts), ['intention:to brew loose leaf tea', 'intention:to serve tea to guests']);
      for (const m of tea) {
        assert.ok(
          m.texts.every((t) => t.score > 0),
          'BM25 scores are positive',
        );
        for (let j = 1; j < m.texts.length; j++) assert.ok(m.texts[j].score <= m.texts[j - 1].score, 'texts best first');
      }
      for (let j = 1; j < tea.length; j++) assert.ok(tea[j].texts[0].score <= tea[j - 1].texts[0].score, 'products by best text');
      assert.deepEqual(ids(await store.lexicalSearch(['boil water for tea'], { k: 1, match: 'both' })), [['kettle']]);
      await store.close();
    });

    it('lexicalSearch respects the match mode and the filters', async () => {
      const { store } = await fresh();
      await store.upsert(lexicalCatalog());
      const search = (query: string, options: Partial<LexicalSearchOptions>) =>
        store.lexicalSearch([query], { k: 10, match: 'both', ...options }).then((r) => r[0]);
      const titles = await search('camping kettle', { match: 'titles' });
      assert.deepEqual(titles.map((m) => m.productId).sort(), ['kettle', 'stove']);
      assert.ok(titles.every((m) => m.texts.every((t) => t.kind === 'title')));
      const intentions = await search('camping kettle', { match: 'intentions' });
      assert.deepEqual(intentions.map((m) => m.productId).sort(), ['stove', 'tent']);
      assert.ok(intentions.every((m) => m.texts.every((t) => t.kind === 'intention')));
      assert.deepEqual(await search('zither', { match: 'intentions' }), []);
      const tea = 'boil water for tea';
      assert.deepEqual(
        (await search(tea, { filter: { categories: ['outdoor'] } })).map((m) => m.productId),
        ['stove'],
      );
      assert.deepEqual(
        (await search(tea, { filter: { productIds: ['teapot', 'tent', 'nope'] } })).map((m) => m.productId),
        ['teapot'],
      );
      assert.deepEqual(
        (await search(tea, { filter: { productIds: ['kettle', 'stove'], categories: ['outdoor'] } })).map((m) => m.productId),
        ['stove'],
      );
      assert.deepEqual(await search(tea, { filter: { productIds: [] } }), []);
      assert.deepEqual(await search(tea, { filter: { categories: [] } }), []);
      await store.close();
    });

    it('lexicalSearch answers [] for a query of stop words, query syntax or nothing, without error', async () => {
      const { store } = await fresh();
      await store.upsert(lexicalCatalog());
      const queries = ['because they want to buy it', 'AND "NEAR(', '*** OR ^ -', '', 'title: "'];
      assert.deepEqual(await store.lexicalSearch(queries, { k: 5, match: 'both' }), [[], [], [], [], []]);
      assert.deepEqual(await store.lexicalSearch([], { k: 5, match: 'both' }), []);
      await store.close();
    });

    it('lexicalSearch never returns a deleted product, nor the old texts of an updated one', async () => {
      const { store } = await fresh();
      await store.upsert(lexicalCatalog());
      assert.equal(await store.delete('kettle'), true);
      const [tea] = await store.lexicalSearch(['boil water for tea'], { k: 10, match: 'both' });
      assert.deepEqual(
        tea.map((m) => m.productId),
        ['stove', 'teapot'],
      );
      const jug = withProduct(items[50], { id: 'teapot', title: 'Ceramic jug', intentions: ['to pour juice'] });
      await store.upsert([{ ...jug, contentHash: 'teapot-changed' }]);
      const [after] = await store.lexicalSearch(['tea'], { k: 10, match: 'both' });
      assert.deepEqual(after, []);
      const [juice] = await store.lexicalSearch(['juice'], { k: 10, match: 'both' });
      assert.deepEqual(
        juice.map((m) => [m.productId, m.title]),
        [['teapot', 'Ceramic jug']],
      );
      await store.close();
    });
  });
}

/** Results without scores (for comparisons across writes, where floating point may differ in the last bit). */
function strip(results: { productId: string; matched: { kind: string; text: string } }[][]) {
  return results.map((r) => r.map((m) => [m.productId, m.matched.kind, m.matched.text]));
}

function countsOf(items: readonly ProductUpsert[]) {
  return {
    products: items.length,
    intentions: items.reduce((n, i) => n + i.texts.filter((t) => t.kind === 'intention').length, 0),
    titles: items.length,
  };
}

/** A product with new content and texts, reusing another product's vectors. */
function withProduct(base: ProductUpsert, product: Product): ProductUpsert {
  return {
    product,
    contentHash: `hash-${product.id}`,
    texts: [
      { kind: 'title', text: product.title, vector: base.texts[0].vector },
      ...product.intentions.map((text, i) => ({
        kind: 'intention' as const,
        text,
        vector: base.texts[1 + (i % (base.texts.length - 1))].vector,
      })),
    ],
  };
}
