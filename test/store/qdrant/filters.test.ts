import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { productFilter, searchFilter, staleFilter, titleFilter } from '../../../src/store/qdrant/filters.js';

describe('Qdrant filter translation', () => {
  it('restricts the text kind by match mode', () => {
    assert.deepEqual(searchFilter(['intention']), { must: [{ key: 'kind', match: { value: 'intention' } }] });
    assert.deepEqual(searchFilter(['title']), { must: [{ key: 'kind', match: { value: 'title' } }] });
    assert.deepEqual(searchFilter(['intention', 'title']), { must: [{ key: 'kind', match: { any: ['intention', 'title'] } }] });
  });

  it('adds categories and product ids as conditions that must all hold', () => {
    assert.deepEqual(searchFilter(['intention'], { categories: ['a', 'b'], productIds: ['p1'] }), {
      must: [
        { key: 'kind', match: { value: 'intention' } },
        { key: 'category', match: { any: ['a', 'b'] } },
        { key: 'productId', match: { any: ['p1'] } },
      ],
    });
  });

  it('answers "nothing can match" for an empty list instead of sending a filter Qdrant would read differently', () => {
    assert.equal(searchFilter(['intention'], { productIds: [] }), undefined);
    assert.equal(searchFilter(['title'], { categories: [] }), undefined);
    assert.deepEqual(searchFilter(['title'], {}), { must: [{ key: 'kind', match: { value: 'title' } }] });
  });

  it('selects a product, its title point, and the points of its earlier revisions', () => {
    assert.deepEqual(productFilter('p1'), { must: [{ key: 'productId', match: { value: 'p1' } }] });
    assert.deepEqual(titleFilter(['p1']), {
      must: [
        { key: 'kind', match: { value: 'title' } },
        { key: 'productId', match: { value: 'p1' } },
      ],
    });
    assert.deepEqual((titleFilter(['p1', 'p2']).must as unknown[])[1], { key: 'productId', match: { any: ['p1', 'p2'] } });
    assert.deepEqual(
      staleFilter([
        { productId: 'p1', rev: 'h1' },
        { productId: 'p2', rev: 'h2' },
      ]),
      {
        should: [
          { must: [{ key: 'productId', match: { value: 'p1' } }], must_not: [{ key: 'rev', match: { value: 'h1' } }] },
          { must: [{ key: 'productId', match: { value: 'p2' } }], must_not: [{ key: 'rev', match: { value: 'h2' } }] },
        ],
      },
    );
  });
});
