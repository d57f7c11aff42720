import type { Schemas } from '@qdrant/js-client-rest';
import type { Product } from '../../core/product.js';
import type { QdrantConnection } from './connection.js';
import { eq, titleFilter, type Condition, type Filter } from './filters.js';
import { ORDER_KEY_FIELDS } from './order-key.js';
import type { PointPayload } from './point-layout.js';
import { productsAfter, type OrderedScan, type TitleRow } from './product-walk.js';

/** Product records, read from their title points. */

export async function getProduct(conn: QdrantConnection, id: string): Promise<Product | undefined> {
  const res = await conn.call('product lookup', () =>
    conn.client.scroll(conn.collection, { filter: titleFilter([id]), limit: 2, with_payload: ['product'], with_vector: false }),
  );
  return (res.points[0]?.payload as Partial<PointPayload> | undefined)?.product;
}

export async function listProducts(conn: QdrantConnection, page: { after?: string; limit: number }): Promise<Product[]> {
  const payload = ['productId', 'product', ...ORDER_KEY_FIELDS];
  const toRow = (p: Schemas['Record']): TitleRow<Product> => {
    const pl = p.payload as Record<string, unknown>;
    return { productId: String(pl.productId), keys: ORDER_KEY_FIELDS.map((f) => Number(pl[f])), product: pl.product as Product };
  };
  const withTitle = (conditions: Condition[]): Filter => ({ must: [eq('kind', 'title'), ...conditions] });
  const scan: OrderedScan<Product> = {
    ordered: async (conditions, key, limit) => {
      const res = await conn.call('product listing', () =>
        conn.client.scroll(conn.collection, {
          filter: withTitle(conditions),
          order_by: { key, direction: 'asc' },
          limit,
          with_payload: payload,
        }),
      );
      return res.points.map(toRow);
    },
    all: async (conditions) => (await conn.scrollAll('product listing', withTitle(conditions), payload)).map(toRow),
  };
  return productsAfter(scan, page.after, page.limit);
}
