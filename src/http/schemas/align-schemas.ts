import { z } from 'zod';
import {
  ALIGN_LIMITS,
  SCORING_FIELD_RULES,
  alignOptionsShape,
  checkScoringFields,
  scriptSchema,
  stepsSchema,
} from '../../align/script-schema.js';
import { textSchema } from '../../catalog/product-schema.js';

export const alignBody = z
  .strictObject({
    objective: textSchema
      .optional()
      .describe('What the script is for. Validated and kept for context; steps are scored on their own text.'),
    steps: stepsSchema,
    ...alignOptionsShape,
  })
  .superRefine(checkScoringFields)
  .meta(SCORING_FIELD_RULES);

export const alignBatchBody = z
  .strictObject({
    scripts: z.array(scriptSchema).min(1).max(ALIGN_LIMITS.maxScriptsPerBatch).describe('1–256 scripts.'),
    ...alignOptionsShape,
  })
  .superRefine(checkScoringFields)
  .meta(SCORING_FIELD_RULES);

const productMatch = z.object({
  productId: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  score: z
    .number()
    .describe(
      "The product's score under the response's scoring: a cosine (semantic), saturated BM25 in [0, 1) (lexical), alpha-weighted mix in [0, 1] (hybrid weighted) or reciprocal-rank sum (hybrid rrf).",
    ),
  matched: z
    .object({
      kind: z.enum(['intention', 'title']),
      text: z.string(),
      by: z.array(z.enum(['semantic', 'lexical'])).describe('Which side or sides found the product.'),
    })
    .describe('The best-scoring text of the side that found the product (semantic when both did).'),
  sides: z
    .object({ semantic: z.number().optional(), lexical: z.number().optional() })
    .optional()
    .describe("Hybrid only: each side's aggregated score in [0, 1] (cosine floored at 0; saturated BM25, 0 when BM25 did not find it)."),
});

export const stepResult = z.object({
  index: z.number().int(),
  text: z.string(),
  products: z.array(productMatch).describe('Top-k products at or above the threshold, best first.'),
});

const scoring = z
  .object({
    aggregate: z.enum(['max', 'mean', 'topm']),
    m: z.number().int().optional(),
    retrieval: z.enum(['semantic', 'lexical', 'hybrid']),
    fusion: z.enum(['weighted', 'rrf']).optional(),
    alpha: z.number().optional(),
  })
  .describe('The aggregation and retrieval that produced the scores, defaults filled in.');

const resultMeta = {
  model: z.string().describe('Embedding model that produced the scores.'),
  threshold: z.number().nullable().describe('Threshold applied to the scores; null under rank fusion, which takes none.'),
  scoring,
  tookMs: z.number(),
};

export const alignResponse = z.object({ ...resultMeta, steps: z.array(stepResult) });

/** The fields of a batch response before its results (the streamed path validates them alone). */
export const alignBatchResponseHead = z.object(resultMeta);

/** One script's part of a batch response without its steps (the streamed path validates it alone). */
export const scriptResultHead = z.object({ id: z.string() });

export const alignBatchResponse = z.object({
  ...resultMeta,
  results: z.array(scriptResultHead.extend({ steps: z.array(stepResult) })),
});
