import { z } from 'zod';
import { LIMITS } from '../../core/product.js';
import { productIdSchema, productInputSchema } from '../../catalog/product-schema.js';

export const upsertProductsBody = z.strictObject({
  products: z.array(productInputSchema).min(1).max(LIMITS.maxProductsPerBatch).describe('1–1000 products, upserted by id.'),
});

export const upsertProductsResponse = z.object({
  upserted: z.number().int().describe('Products written (new or changed).'),
  unchanged: z.number().int().describe('Products whose content was already stored; not re-embedded.'),
  intentionsIndexed: z.number().int().describe('Intentions embedded and indexed by this request.'),
});

export const productParams = z.strictObject({ id: productIdSchema });

export const productResponse = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string().optional(),
  intentions: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
