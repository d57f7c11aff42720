/**
 * The Qdrant adapter's BM25 index and stored-text reads: the requests it sends (checked against the
 * shapes of Qdrant's "Full-Text Search" guide) and how it treats collections made before BM25,
 * driven through the real client against the in-process TEST DOUBLE (fake-qdrant.ts), not a real
 * Qdrant. What Qdrant answers is checked by the conformance suite when QDRANT_URL is set.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QdrantStore, type QdrantStoreOptions } from '../../../src/store/qdrant/qdrant-store.js';
import { LexicalIndexMissingError } from '../../../src/store/qdrant/lexical-index.js';
import { lexicalQueryText } from '../../../src/store/qdrant/lexical-search.js';
import { DIM, MODEL, randomProducts } from '../../helpers/store-fixture.js';
import { FakeQdrant } from './fake-qdrant.js';
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
  fake.requests.length = 0;
  fake.failIf = undefined;
});

function open(extra: Partial<QdrantStoreOptions> = {}, collection = `lex${counter++}`) {
  return QdrantStore.open(
    storeOptions(fake.url, collection, { modelId: MODEL, dimension: DIM }, { retryDeps: instantRetries(), ...extra }),
  );
}

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { info() {}, warn: (_obj: unknown, msg?: string) => void warnings.push(msg ?? '') } };
}

const requestsTo = (suffix: string) => fake.requests.filter((r) => r.path.endsWith(suffix));
const METADATA = { ecomalign: { modelId: MODEL, dimension: DIM, layout: 1 } };

/** A collection as an earlier ecomalign made it: our metadata, the dense vector, no BM25 vector. */
async function oldCollection(name: string, withPoint: boolean) {
  await fetch(`${fake.url}/collections/${name}`, {
    method: 'PUT',
    body: JSON.stringify({ vectors: { size: DIM, distance: 'Cosine' }, metadata: METADATA }),
  });
  if (!withPoint) return;
  await fetch(`${fake.url}/collections/${name}/points`, {
    method: 'PUT',
    body: JSON.stringify({
      points: [{ id: 1, vector: Array.from({ length: DIM }, () => 1), payload: { productId: 'old', kind: 'title' } }],
    }),
  });
}

describe('Qdrant BM25 index', () => {
  it('creates collections with the BM25 sparse vector (idf modifier) and writes every text to it for inference', async () => {
    const store = await open({}, 'bm25-created');
    const params = fake.collections.get('bm25-created')!.config.params as Record<string, unknown>;
    assert.deepEqual(params.sparse_vectors, { bm25: { modifier: 'idf' } });
    const [item] = randomProducts(1, 3);
    fake.requests.length = 0;
    await store.upsert([item]);
    const points = requestsTo('/points').find((r) => r.method === 'PUT')!.body.points as { vector: Record<string, unknown> }[];
    assert.equal(points.length, item.texts.length);
    for (const [i, p] of points.entries()) {
      assert.deepEqual(Object.keys(p.vector).sort(), ['', 'bm25']);
      assert.equal((p.vector[''] as number[]).length, DIM);
      assert.deepEqual(p.vector.bm25, {
        text: item.texts[i].text,
        model: 'qdrant/bm25',
        options: { avg_len: 10, ascii_folding: true },
      });
    }
  });

  it('searches with one grouping query per step on the BM25 vector, grouped by product with room for all its texts', async () => {
    const store = await open();
    await store.upsert(randomProducts(5, 4));
    fake.requests.length = 0;
    const res = await store.lexicalSearch(['Intention 1 of the product', 'because they want to'], {
      k: 3,
      match: 'intentions',
      filter: { categories: ['a', 'b'] },
    });
    assert.equal(res.length, 2);
    assert.deepEqual(res[1], [], 'a query of stop words is not sent');
    const sent = requestsTo('/points/query/groups');
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].body, {
      query: { text: 'intention 1 product', model: 'qdrant/bm25', options: { avg_len: 10, ascii_folding: true } },
      using: 'bm25',
      filter: {
        must: [
          { key: 'kind', match: { value: 'intention' } },
          { key: 'category', match: { any: ['a', 'b'] } },
        ],
      },
      group_by: 'productId',
      group_size: 65,
      limit: 3,
      with_payload: ['productId', 'kind', 'text', 'title', 'category'],
    });
    assert.ok(res[0].length > 0 && res[0].length <= 3);
    fake.requests.length = 0;
    assert.deepEqual(await store.lexicalSearch(['intention'], { k: 3, match: 'both', filter: { productIds: [] } }), [[]]);
    assert.equal(fake.requests.length, 0, 'a filter that selects nothing is not sent');
  });

  it('builds the query text like the embedded FTS query: lowercased words, no stop words, no repeats, no syntax', () => {
    assert.equal(lexicalQueryText('Because they WANT to grill Steaks, steaks!'), 'grill steaks');
    assert.equal(lexicalQueryText('AND "NEAR( title:*'), 'near title');
    assert.equal(lexicalQueryText('because they want to'), undefined);
    assert.equal(lexicalQueryText(''), undefined);
  });

  it('a filled collection made before BM25 still opens and serves search; lexical search rejects with LexicalIndexMissingError', async () => {
    await oldCollection('pre-bm25', true);
    const { logger, warnings } = recordingLogger();
    const store = await open({ logger }, 'pre-bm25');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /no BM25 index/);
    assert.equal(requestsTo('/vectors/bm25').length, 0, 'no vector added to a filled collection');
    const items = randomProducts(3, 5);
    await store.upsert(items); // dense-only points: the collection has no BM25 vector to fill
    const [res] = await store.search([items[1].texts[0].vector], { k: 1, threshold: 0.99, match: 'titles' });
    assert.equal(res[0]?.productId, 'p1');
    const texts = await store.productTexts(['p1'], ['title']);
    assert.deepEqual(
      texts.get('p1')!.map((t) => t.text),
      ['Product 1'],
    );
    await assert.rejects(store.lexicalSearch(['product'], { k: 3, match: 'both' }), (err: Error) => {
      assert.ok(err instanceof LexicalIndexMissingError);
      assert.equal(err.name, 'LexicalIndexMissingError');
      assert.doesNotMatch(err.message, /pre-bm25/, 'the message reaches API clients: no collection name');
      return true;
    });
  });

  it('an empty collection without BM25 gets the vector added (Qdrant >= 1.18), or stays without it on an older Qdrant', async () => {
    await oldCollection('empty-pre-bm25', false);
    const store = await open({}, 'empty-pre-bm25');
    assert.equal(requestsTo('/vectors/bm25').length, 1);
    const params = fake.collections.get('empty-pre-bm25')!.config.params as Record<string, unknown>;
    assert.deepEqual(params.sparse_vectors, { bm25: { modifier: 'idf' } });
    await store.upsert(randomProducts(3, 6));
    const [res] = await store.lexicalSearch(['product 2'], { k: 1, match: 'titles' });
    assert.deepEqual(
      res.map((m) => m.productId),
      ['p2'],
    );

    await oldCollection('old-server', false);
    fake.failIf = (r) => (r.path.includes('/vectors/') ? 404 : undefined);
    const { logger, warnings } = recordingLogger();
    const old = await open({ logger }, 'old-server');
    assert.match(warnings.join('\n'), /could not add a BM25 index/);
    await old.upsert(randomProducts(2, 7));
    await assert.rejects(old.lexicalSearch(['product'], { k: 3, match: 'both' }), LexicalIndexMissingError);
  });
});

describe('Qdrant productTexts', () => {
  it('reads the points of the asked products and kinds with their vectors, paging through the scroll', async () => {
    const store = await open();
    const items = randomProducts(80, 8); // 80 products, 1–7 intentions each: over one scroll page (256)
    await store.upsert(items);
    fake.requests.length = 0;
    const ids = items.map((i) => i.product.id);
    const got = await store.productTexts(ids, ['intention', 'title']);
    const scrolls = requestsTo('/points/scroll');
    assert.ok(scrolls.length > 1, 'paged');
    assert.ok(scrolls.every((r) => r.body.with_vector === true));
    assert.deepEqual(scrolls[0].body.filter.must[1], { key: 'kind', match: { any: ['intention', 'title'] } });
    assert.equal(got.size, 80);
    const total = [...got.values()].reduce((n, t) => n + t.length, 0);
    assert.equal(
      total,
      items.reduce((n, i) => n + i.texts.length, 0),
    );
    for (const [id, texts] of got) assert.equal(texts[0].kind, 'title', `${id}: title first`);
  });
});
