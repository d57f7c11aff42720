import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition } from '../../../src/store/qdrant/filters.js';
import { compareIds, orderKeys } from '../../../src/store/qdrant/order-key.js';
import { productsAfter, type OrderedScan, type TitleRow } from '../../../src/store/qdrant/product-walk.js';
import { rng } from '../../helpers/vectors.js';

/** An in-memory scan with Qdrant's semantics: ties on the order key come in arbitrary (here: reversed) order. */
function memoryScan(ids: string[]) {
  const rows: TitleRow<string>[] = ids.map((id) => ({ productId: id, keys: orderKeys(id), product: id }));
  let requests = 0;
  let rowsRead = 0;
  const test = (row: TitleRow<string>, c: Condition) => {
    const { key, match, range } = c as { key: string; match?: { value: number }; range?: { gt: number } };
    const v = row.keys[Number(key.slice(2))];
    return match ? v === match.value : v > range!.gt;
  };
  const select = (conditions: Condition[]) => rows.filter((r) => conditions.every((c) => test(r, c)));
  const scan: OrderedScan<string> = {
    async ordered(conditions, key, limit) {
      requests++;
      const level = Number(key.slice(2));
      const page = select(conditions)
        .sort((a, b) => a.keys[level] - b.keys[level] || compareIds(b.productId, a.productId))
        .slice(0, limit);
      rowsRead += page.length;
      return page;
    },
    async all(conditions) {
      requests++;
      const all = select(conditions).reverse();
      rowsRead += all.length;
      return all;
    },
  };
  return { scan, stats: () => ({ requests, rowsRead }) };
}

async function walk(scan: OrderedScan<string>, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await productsAfter(scan, after, limit);
    if (page.length === 0) return seen;
    assert.ok(page.length <= limit);
    seen.push(...page);
    after = page[page.length - 1];
  }
}

describe('walking products in id order on Qdrant', () => {
  it('order keys agree with byte-wise id order', () => {
    const ids = ['', 'a', 'a\u0001', 'ab', 'abcdef', 'abcdefg', 'abcdeg', 'b', 'é', '\uffff'];
    for (let i = 1; i < ids.length; i++) {
      const [a, b] = [orderKeys(ids[i - 1]), orderKeys(ids[i])];
      const cmp = a.findIndex((k, j) => k !== b[j]);
      assert.ok(cmp === -1 || a[cmp] < b[cmp], `${ids[i - 1]} before ${ids[i]}`);
    }
    assert.ok(orderKeys('zzzzzz').every((k) => Number.isSafeInteger(k)));
  });

  it('returns every id exactly once in order, for ids sharing prefixes of every length', async () => {
    const random = rng(3);
    const ids = new Set<string>();
    const stems = ['', 'sku-', 'sku-0000', 'a-very-long-shared-product-id-prefix-', 'p'];
    while (ids.size < 400) ids.add(stems[Math.floor(random() * stems.length)] + Math.floor(random() * 5000).toString(36));
    const expected = [...ids].sort(compareIds);
    for (const limit of [1, 3, 50, 1000]) {
      const { scan } = memoryScan([...ids]);
      assert.deepEqual(await walk(scan, limit), expected, `limit ${limit}`);
    }
  });

  it('reads about one page of rows per page when ids differ early', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `${(i * 7919) % 2000}`.padStart(4, '0') + '-x');
    const { scan, stats } = memoryScan(ids);
    const page = await productsAfter(scan, '0999-x', 20);
    assert.deepEqual(
      page,
      Array.from({ length: 20 }, (_, i) => `${1000 + i}-x`),
    );
    assert.ok(stats().rowsRead <= 60, `read ${stats().rowsRead} rows for a page of 20`);
  });
});
