import { z } from 'zod';
import { ALIGN_LIMITS, alignOptionsShape, scriptSchema, stepsSchema } from '../../align/script-schema.js';
import { textSchema } from '../../catalog/product-schema.js';

export const alignBody = z.strictObject({
  objective: textSchema.optional().describe('What the script is for. Validated and kept for context; steps are scored on their own text.'),
  steps: stepsSchema,
  ...alignOptionsShape,
});

export const alignBatchBody = z.strictObject({
  scripts: z.array(scriptSchema).min(1).max(ALIGN_LIMITS.maxScriptsPerBatch).describe('1–256 scripts.'),
  ...alignOptionsShape,
});

const productMatch = z.object({
  productId: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  score: z.number().describe('Cosine similarity of the best-matching text.'),
  matched: z.object({ kind: z.enum(['intention', 'title']), text: z.string() }).describe('The text that matched.'),
});

const stepResult = z.object({
  index: z.number().int(),
  text: z.string(),
  products: z.array(productMatch).describe('Top-k products at or above the threshold, best first.'),
});

const resultMeta = {
  model: z.string().describe('Embedding model that produced the scores.'),
  threshold: z.number(),
  tookMs: z.number(),
};

export const alignResponse = z.object({ ...resultMeta, steps: z.array(stepResult) });

export const alignBatchResponse = z.object({
  ...resultMeta,
  results: z.array(z.object({ id: z.string(), steps: z.array(stepResult) })),
});
