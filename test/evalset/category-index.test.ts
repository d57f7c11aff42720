import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Product } from '../../src/core/product.js';
import { CategoryIndex } from '../../src/evalset/category-index.js';
import { Random } from '../../src/evalset/random.js';

/** A listProducts over an in-memory catalog, paging the way the store does (ascending id). */
function fakeStore(products: Product[], sort = true) {
  const all = sort ? [...products].sort((a, b) => Buffer.compare(Buffer.from(a.id), Buffer.from(b.id))) : products;
  return {
    pages: 0,
    async listProducts({ after, limit }: { after?: string; limit: number }) {
      this.pages++;
      const start = after === undefined ? 0 : all.findIndex((p) => p.id === after) + 1;
      return all.slice(start, start + limit);
    },
  };
}

const products: Product[] = Array.from({ length: 2500 }, (_, i) => ({
  id: `p-${String(i).padStart(5, '0')}-é`,
  title: `P${i}`,
  category: i % 10 === 0 ? undefined : ['tents', 'grills', 'baby'][i % 3],
  intentions: [],
}));

describe('CategoryIndex', () => {
  it('pages through the whole catalog and finds ids and categories', async () => {
    const store = fakeStore(products);
    const index = await CategoryIndex.build(store, { pageSize: 1000 });
    assert.equal(store.pages, 3);
    assert.equal(index.size, 2500);
    assert.deepEqual(index.categories, ['baby', 'grills', 'tents']);
    for (const i of [0, 1, 999, 1000, 2499]) {
      const id = products[i].id;
      const at = index.indexOf(id);
      assert.equal(index.idAt(at), id);
      assert.equal(index.codeAt(at), index.categoryCode(products[i].category));
    }
    assert.equal(index.indexOf('nope'), -1);
    assert.equal(index.categoryCode(undefined), -1);
    assert.equal(index.categoryCode('unknown'), -1);
    const grills = index.categoryCode('grills');
    const r = new Random(1);
    for (let n = 0; n < 50; n++) assert.equal(index.codeAt(index.randomInCategory(r, grills)), grills);
    assert.equal(index.categorySize(grills) + index.categorySize(0) + index.categorySize(2), 2250);
  });

  it('still finds ids when a store pages in another order', async () => {
    const index = await CategoryIndex.build(fakeStore([...products].reverse(), false), { pageSize: 700 });
    assert.equal(index.idAt(index.indexOf(products[123].id)), products[123].id);
  });
});
