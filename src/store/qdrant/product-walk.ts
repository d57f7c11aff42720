import type { Condition } from './filters.js';
import { compareIds, ORDER_KEY_FIELDS, orderKeys } from './order-key.js';

/**
 * listProducts on Qdrant: the first `limit` products with id > `after` in byte-wise id order, read
 * through the integer order keys (see order-key.ts) without scanning the catalog.
 *
 * At each key level, rows come from a scroll ordered by that level's key. A page's rows whose key is
 * below the page's last key form complete groups; the last key's group may continue on the next
 * page, so it is read separately one level down (ordered by the next key). The rows collected so far
 * are therefore always all rows up to some point in id order, and the smallest `limit` of them are
 * the answer. Cost per page: about `limit` rows plus, at the last level, any ids that share their
 * first 24 bytes (read whole and ordered here).
 */

export interface TitleRow<P> {
  productId: string;
  /** The row's order keys (from its payload). */
  keys: number[];
  product: P;
}

export interface OrderedScan<P> {
  /** Title rows matching `conditions`, ascending by payload key `key`, at most `limit`. */
  ordered(conditions: Condition[], key: string, limit: number): Promise<TitleRow<P>[]>;
  /** Every title row matching `conditions`, in any order. */
  all(conditions: Condition[]): Promise<TitleRow<P>[]>;
}

export async function productsAfter<P>(scan: OrderedScan<P>, after: string | undefined, limit: number): Promise<P[]> {
  if (limit <= 0) return [];
  // Keyed by product id: while a product is being rewritten it can briefly have two title points.
  const out = new Map<string, TitleRow<P>>();
  const add = (rows: TitleRow<P>[]) => {
    for (const row of rows) {
      if (after !== undefined && compareIds(row.productId, after) <= 0) continue;
      if (!out.has(row.productId)) out.set(row.productId, row);
    }
  };
  const afterKeys = after === undefined ? undefined : orderKeys(after);

  const collect = async (prefix: Condition[], level: number, withAfter: boolean): Promise<void> => {
    if (level === ORDER_KEY_FIELDS.length) {
      add(await scan.all(prefix));
      return;
    }
    const field = ORDER_KEY_FIELDS[level];
    let lower: number | undefined;
    if (withAfter && afterKeys) {
      // Rows sharing `after`'s key at this level may still be greater than `after`: look one level down.
      await collect([...prefix, { key: field, match: { value: afterKeys[level] } }], level + 1, true);
      if (out.size >= limit) return;
      lower = afterKeys[level];
    }
    for (;;) {
      const pageSize = limit - out.size + 1;
      const conditions = lower === undefined ? prefix : [...prefix, { key: field, range: { gt: lower } }];
      const page = await scan.ordered(conditions, field, pageSize);
      if (page.length < pageSize) {
        add(page); // everything that is left
        return;
      }
      const last = page[page.length - 1].keys[level];
      add(page.filter((row) => row.keys[level] < last));
      if (out.size >= limit) return;
      await collect([...prefix, { key: field, match: { value: last } }], level + 1, false);
      if (out.size >= limit) return;
      lower = last;
    }
  };

  await collect([], 0, true);
  return [...out.values()]
    .sort((a, b) => compareIds(a.productId, b.productId))
    .slice(0, limit)
    .map((row) => row.product);
}
