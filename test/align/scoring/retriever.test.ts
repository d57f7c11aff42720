import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aggregate, type Aggregation } from '../../../src/align/scoring/aggregate.js';
import { Retriever } from '../../../src/align/scoring/retriever.js';
import { completeScoring } from '../../../src/align/scoring/scoring.js';
import type { VectorStore } from '../../../src/core/vector-store.js';
import type { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { cosine, rng, unitVector } from '../../helpers/vectors.js';
import { DIM, openStore, randomProducts, tempDir } from '../../helpers/store-fixture.js';

/**
 * The retriever against the real embedded store, checked by an oracle: the exhaustive aggregation
 * of every product's texts, computed here by brute force from the vectors that were written.
 */
describe('Retriever on the embedded store', () => {
  const items = randomProducts(120, 3);
  const random = rng(5);
  const queries = Array.from({ length: 8 }, () => unitVector(random, DIM));
  const steps = queries.map((_, i) => `step ${i}`);
  let store: EmbeddedStore;
  let cleanup: () => void;

  before(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    store = await openStore(t.dir);
    await store.upsert(items);
  });
  after(async () => {
    await store.close();
    cleanup();
  });

  function oracle(q: Float32Array, how: Aggregation, m: number | undefined, k: number, threshold: number) {
    return items
      .map((it) => {
        const intentions = it.texts.filter((t) => t.kind === 'intention');
        return {
          id: it.product.id,
          score: aggregate(
            intentions.map((t) => cosine(q, t.vector)),
            how,
            m,
          ),
        };
      })
      .filter((p) => p.score >= threshold)
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .slice(0, k);
  }

  for (const [how, m] of [
    ['mean', undefined],
    ['topm', 3],
  ] as const) {
    it(`${how}: a pool as deep as the catalog gives exactly the exhaustive ${how}, scored by the store or from productTexts`, async () => {
      // The same store without scoreTexts: the path a store that cannot score next to its vectors takes (Qdrant).
      const withoutScoring: VectorStore = Object.assign(Object.create(store) as EmbeddedStore, { scoreTexts: undefined });
      for (const [retriever, threshold] of [
        [new Retriever(store), -1],
        [new Retriever(store), 0.1],
        [new Retriever(withoutScoring), -1],
        [new Retriever(withoutScoring), 0.1],
      ] as const) {
        const got = await retriever.retrieve(steps, queries, {
          k: 10,
          threshold,
          match: 'intentions',
          scoring: completeScoring({ aggregate: how, m }),
          pool: items.length,
        });
        queries.forEach((q, i) => {
          const want = oracle(q, how, m, 10, threshold);
          assert.deepEqual(
            got[i].map((p) => p.productId),
            want.map((w) => w.id),
            `query ${i} threshold ${threshold}`,
          );
          got[i].forEach((p, j) => assert.ok(Math.abs(p.score - want[j].score) < 1e-5));
        });
      }
    });
  }

  it('max over semantic retrieval is the store search itself, with matched.by added', async () => {
    const got = await new Retriever(store).retrieve(steps, queries, {
      k: 5,
      threshold: 0,
      match: 'both',
      scoring: completeScoring({}),
    });
    const plain = await store.search(queries, { k: 5, threshold: 0, match: 'both' });
    assert.deepEqual(
      got.map((list) => list.map((p) => [p.productId, p.score, p.matched.text, p.matched.by])),
      plain.map((list) => list.map((p) => [p.productId, p.score, p.matched.text, ['semantic']])),
    );
  });

  it('lexical retrieval finds the product whose text holds the query word, and respects filters and match', async () => {
    const retriever = new Retriever(store);
    const scoring = completeScoring({ retrieval: 'lexical' });
    const [byIntention] = await retriever.retrieve(['intention 6 of product 97'], undefined, {
      k: 3,
      threshold: 0,
      match: 'intentions',
      scoring,
    });
    assert.equal(byIntention[0].productId, 'p97');
    assert.deepEqual(byIntention[0].matched, { kind: 'intention', text: 'intention 6 of product 97', by: ['lexical'] });
    const [byTitle] = await retriever.retrieve(['Product 42'], undefined, { k: 1, threshold: 0, match: 'titles', scoring });
    assert.deepEqual(
      byTitle.map((p) => [p.productId, p.matched.kind]),
      [['p42', 'title']],
    );
    const [filtered] = await retriever.retrieve(['Product 42'], undefined, {
      k: 5,
      threshold: 0,
      match: 'titles',
      scoring,
      filter: { categories: ['b'] },
    });
    assert.ok(filtered.length > 0 && filtered.every((p) => p.category === 'b' && p.productId !== 'p42'));
  });
});
