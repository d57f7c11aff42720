import { z } from 'zod';
import { LIMITS } from '../core/product.js';
import { NON_BLANK } from '../util/char-class.js';

/**
 * Validation of products as clients send them (HTTP and JSONL ingest share it). Strict objects:
 * an unknown field is far more often a typo ("intention") than something we should ignore.
 */

export const textSchema = z.string().min(1).max(LIMITS.maxTextLength).regex(NON_BLANK, 'must not be blank');

export const productIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.maxIdLength)
  .regex(NON_BLANK, 'must not be blank')
  .describe('Catalog id of the product, 1–128 characters.');

const MAX_ATTRIBUTES_BYTES = 16 * 1024;

export const productInputSchema = z
  .strictObject({
    id: productIdSchema,
    title: textSchema.describe('Product title as shown in the store.'),
    category: z.string().min(1).max(200).optional().describe('Category slug, used by search filters.'),
    intentions: z
      .array(textSchema)
      .max(LIMITS.maxIntentionsPerProduct)
      .default([])
      .describe('Purchase intentions: short sentences of why people buy the product.'),
    attributes: z
      .record(z.string().max(200), z.unknown())
      .refine((a) => JSON.stringify(a).length <= MAX_ATTRIBUTES_BYTES, {
        message: `must serialise to at most ${MAX_ATTRIBUTES_BYTES} bytes`,
      })
      .optional()
      .describe('Free-form attributes (brand, price, …), stored and returned as given.'),
  })
  .describe('A catalog product');

export type ProductInput = z.infer<typeof productInputSchema>;
