import { z } from 'zod';
import { textSchema } from '../catalog/product-schema.js';

/** Shapes of scripts and alignment options, shared by the HTTP API and the bulk CLI. */

export const ALIGN_LIMITS = {
  maxSteps: 64,
  maxK: 100,
  maxScriptsPerBatch: 256,
  maxFilterProductIds: 1000,
  maxFilterCategories: 100,
} as const;

export const stepsSchema = z.array(textSchema).min(1).max(ALIGN_LIMITS.maxSteps).describe('Ordered steps of the script, 1–64.');

export const alignOptionsShape = {
  k: z.number().int().min(1).max(ALIGN_LIMITS.maxK).default(5).describe('Products per step, 1–100.'),
  threshold: z
    .number()
    .min(-1)
    .max(1)
    .optional()
    .describe("Minimum cosine similarity; defaults to the active model's calibrated threshold."),
  match: z.enum(['intentions', 'titles', 'both']).default('intentions').describe('Which product texts to match steps against.'),
  filter: z
    .strictObject({
      categories: z.array(z.string().min(1).max(200)).min(1).max(ALIGN_LIMITS.maxFilterCategories).optional(),
      productIds: z.array(z.string().min(1).max(128)).min(1).max(ALIGN_LIMITS.maxFilterProductIds).optional(),
    })
    .optional()
    .describe('Restricts candidates to products in any of the categories and/or among the ids.'),
};

export const scriptSchema = z.strictObject({
  id: z.string().min(1).max(256).describe('Caller-chosen id, echoed in the result.'),
  objective: textSchema.optional().describe('What the script is for, e.g. "host a backyard barbecue".'),
  steps: stepsSchema,
});

export type ScriptRecord = z.infer<typeof scriptSchema>;
