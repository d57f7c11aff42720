import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeTopProducts, topProducts, type HitSource, type TextHit } from '../../../../src/store/embedded/index/top-products.js';

/** A source over a fixed ranked list that records the depths it was asked for. */
function listSource(hits: TextHit[]): HitSource & { depths: number[] } {
  const sorted = [...hits].sort((a, b) => b.score - a.score);
  const depths: number[] = [];
  const search: HitSource = (n) => {
    depths.push(n);
    return { hits: sorted.slice(0, n), exhausted: n >= sorted.length };
  };
  return Object.assign(search, { depths });
}

const hit = (product: number, label: number, score: number): TextHit => ({ product, label, score });

/** Brute force: best text per product, threshold, top-k. */
function bruteForce(hits: TextHit[], k: number, threshold: number, accept: (p: number) => boolean = () => true): TextHit[] {
  const best = new Map<number, TextHit>();
  for (const h of hits) {
    if (h.score < threshold || !accept(h.product)) continue;
    const seen = best.get(h.product);
    if (!seen || h.score > seen.score) best.set(h.product, h);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.product - b.product).slice(0, k);
}

describe('topProducts', () => {
  it('keeps each product once, with its best-scoring text', () => {
    const source = listSource([hit(1, 10, 0.9), hit(1, 11, 0.8), hit(2, 20, 0.7), hit(1, 12, 0.6)]);
    const { products } = topProducts(source, { k: 5, threshold: 0 });
    assert.deepEqual(products, [hit(1, 10, 0.9), hit(2, 20, 0.7)]);
  });

  it('drops products below the threshold and keeps those exactly at it', () => {
    const source = listSource([hit(1, 1, 0.5), hit(2, 2, 0.45), hit(3, 3, 0.4499)]);
    const { products } = topProducts(source, { k: 5, threshold: 0.45 });
    assert.deepEqual(
      products.map((p) => p.product),
      [1, 2],
    );
  });

  it('returns at most k products, best first', () => {
    const source = listSource([hit(1, 1, 0.9), hit(2, 2, 0.8), hit(3, 3, 0.7), hit(4, 4, 0.6)]);
    const { products } = topProducts(source, { k: 2, threshold: 0 });
    assert.deepEqual(
      products.map((p) => p.product),
      [1, 2],
    );
  });

  it('searches deeper when one product crowds the top of the list', () => {
    // Product 1 owns the 50 best texts; product 2 and 3 come after them.
    const hits = Array.from({ length: 50 }, (_, i) => hit(1, i, 0.99 - i * 0.001));
    hits.push(hit(2, 100, 0.8), hit(3, 101, 0.7));
    const source = listSource(hits);
    const { products, rounds } = topProducts(source, { k: 3, threshold: 0.5, initialDepth: 4 });
    assert.deepEqual(
      products.map((p) => p.product),
      [1, 2, 3],
    );
    assert.ok(rounds > 1, 'needed more than one round');
    assert.deepEqual(source.depths, [4, 16, 64]);
  });

  it('stops deepening once scores fall below the threshold', () => {
    const hits = [hit(1, 1, 0.9), hit(1, 2, 0.85), hit(1, 3, 0.3), hit(2, 4, 0.2)];
    hits.push(...Array.from({ length: 100 }, (_, i) => hit(3 + i, 10 + i, 0.1)));
    const source = listSource(hits);
    const { products } = topProducts(source, { k: 2, threshold: 0.5, initialDepth: 4 });
    assert.deepEqual(
      products.map((p) => p.product),
      [1],
    );
    assert.deepEqual(source.depths, [4], 'no deeper search after the threshold was crossed');
  });

  it('stops when the source is exhausted', () => {
    const source = listSource([hit(1, 1, 0.9), hit(1, 2, 0.8)]);
    const { products } = topProducts(source, { k: 3, threshold: 0, initialDepth: 3 });
    assert.deepEqual(
      products.map((p) => p.product),
      [1],
    );
    assert.deepEqual(source.depths, [3], 'a short list means there is nothing deeper to ask for');
  });

  it('searches deeper when the source dropped hits (removed texts) without being exhausted', () => {
    // 30 hits of which the source drops every text of product 1 (removed, not yet out of the index).
    const all = [
      ...Array.from({ length: 20 }, (_, i) => hit(1, i, 0.99 - i * 0.001)),
      ...Array.from({ length: 10 }, (_, i) => hit(2 + i, 100 + i, 0.5)),
    ];
    const depths: number[] = [];
    const source: HitSource = (n) => {
      depths.push(n);
      const top = all.slice(0, n);
      return { hits: top.filter((h) => h.product !== 1), exhausted: n >= all.length };
    };
    const { products } = topProducts(source, { k: 3, threshold: 0, initialDepth: 8 });
    assert.deepEqual(
      products.map((p) => p.product),
      [2, 3, 4],
    );
    assert.deepEqual(depths, [8, 32]);
  });

  it('respects maxDepth', () => {
    const hits = Array.from({ length: 1000 }, (_, i) => hit(1, i, 0.9));
    const source = listSource(hits);
    topProducts(source, { k: 2, threshold: 0, initialDepth: 8, maxDepth: 100 });
    assert.equal(Math.max(...source.depths), 100);
  });

  it('skips products the filter rejects and searches past them', () => {
    const hits = [hit(1, 1, 0.9), hit(2, 2, 0.8), hit(3, 3, 0.7), hit(4, 4, 0.6), hit(5, 5, 0.55)];
    const source = listSource(hits);
    const accept = (p: number) => p % 2 === 1;
    const { products } = topProducts(source, { k: 3, threshold: 0.5, accept, initialDepth: 2 });
    assert.deepEqual(
      products.map((p) => p.product),
      [1, 3, 5],
    );
  });

  it('equals brute force on random data (seeded)', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const hits = Array.from({ length: 1 + Math.floor(rand() * 80) }, (_, i) => hit(Math.floor(rand() * 12), i, rand() * 2 - 1));
      const k = 1 + Math.floor(rand() * 6);
      const threshold = rand() - 0.5;
      const accept = (p: number) => p !== 3;
      const got = topProducts(listSource(hits), { k, threshold, accept, initialDepth: 1 + Math.floor(rand() * 5) }).products;
      const want = bruteForce(hits, k, threshold, accept);
      assert.deepEqual(
        got.map((h) => [h.product, h.score]),
        want.map((h) => [h.product, h.score]),
        `trial ${trial}`,
      );
    }
  });
});

describe('mergeTopProducts', () => {
  it('keeps the best hit per product across sources and cuts to k', () => {
    const intentions = [hit(1, 1, 0.6), hit(2, 2, 0.5)];
    const titles = [hit(2, 9, 0.8), hit(3, 8, 0.4)];
    const merged = mergeTopProducts([intentions, titles], 2);
    assert.deepEqual(merged, [hit(2, 9, 0.8), hit(1, 1, 0.6)]);
  });

  it('breaks score ties by product number so results are deterministic', () => {
    const merged = mergeTopProducts([[hit(5, 1, 0.5)], [hit(3, 2, 0.5)]], 5);
    assert.deepEqual(
      merged.map((h) => h.product),
      [3, 5],
    );
  });
});
