import { z } from 'zod';
import { textSchema } from '../catalog/product-schema.js';
import type { Aggregation } from './scoring/aggregate.js';
import type { Fusion } from './scoring/fusion.js';
import type { Retrieval, Scoring } from './scoring/scoring.js';

/** Shapes of scripts and alignment options, shared by the HTTP API and the bulk CLI. */

export const ALIGN_LIMITS = {
  maxSteps: 64,
  maxK: 100,
  maxScriptsPerBatch: 256,
  maxFilterProductIds: 1000,
  maxFilterCategories: 100,
  maxM: 32,
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
  aggregate: z
    .enum(['max', 'mean', 'topm'])
    .default('max')
    .describe(
      "How a product's texts make its score: its best text (max), the mean of all its texts of the matched kinds (mean, as the EcomScriptBench paper), or the mean of its m best (topm).",
    ),
  m: z.number().int().min(1).max(ALIGN_LIMITS.maxM).optional().describe('The m of aggregate "topm", 1–32 (default 3); only with "topm".'),
  retrieval: z
    .enum(['semantic', 'lexical', 'hybrid'])
    .default('semantic')
    .describe('Where candidates come from: the embedding index (semantic), BM25 over the texts (lexical), or both fused (hybrid).'),
  fusion: z
    .enum(['weighted', 'rrf'])
    .optional()
    .describe(
      'How hybrid merges the two sides: alpha·semantic + (1−alpha)·lexical, in [0, 1] and thresholdable (weighted, default), or reciprocal-rank fusion (rrf, no threshold). Only with "hybrid".',
    ),
  alpha: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Weight of the semantic side in weighted fusion, 0–1 (default 0.5); only with fusion "weighted".'),
};

export interface ScoringFields {
  aggregate: Aggregation;
  m?: number;
  retrieval: Retrieval;
  fusion?: Fusion;
  alpha?: number;
  threshold?: number;
}

/**
 * The choices that only make sense together, checked on the whole body so each error names the
 * field that does not fit: m needs topm, fusion needs hybrid, alpha needs weighted fusion, and a
 * rank-fusion score takes no threshold.
 */
export function checkScoringFields(body: ScoringFields, ctx: z.RefinementCtx): void {
  const fail = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  if (body.m !== undefined && body.aggregate !== 'topm') fail('m', 'only allowed with aggregate "topm"');
  if (body.fusion !== undefined && body.retrieval !== 'hybrid') fail('fusion', 'only allowed with retrieval "hybrid"');
  const fusion = body.fusion ?? 'weighted';
  if (body.alpha !== undefined && (body.retrieval !== 'hybrid' || fusion !== 'weighted')) {
    fail('alpha', 'only allowed with retrieval "hybrid" and fusion "weighted"');
  }
  if (body.threshold !== undefined && body.retrieval === 'hybrid' && fusion === 'rrf') {
    fail('threshold', 'not allowed with fusion "rrf": a rank-fusion score only orders one step\'s products and has no threshold');
  }
}

/**
 * checkScoringFields's rules in JSON Schema, for the OpenAPI document (attach with `.meta`): a
 * client or a fuzzer reading the document then knows a body such as `{ m: 3 }` without
 * `aggregate: "topm"` is invalid, as the server does. test/align/script-schema.test.ts checks that
 * the two agree on every combination of the fields.
 */
export const SCORING_FIELD_RULES = {
  allOf: [
    { if: { required: ['m'] }, then: { required: ['aggregate'], properties: { aggregate: { const: 'topm' } } } },
    { if: { required: ['fusion'] }, then: { required: ['retrieval'], properties: { retrieval: { const: 'hybrid' } } } },
    {
      if: { required: ['alpha'] },
      then: { required: ['retrieval'], properties: { retrieval: { const: 'hybrid' }, fusion: { const: 'weighted' } } },
    },
    {
      if: { required: ['threshold'] },
      then: { not: { required: ['retrieval', 'fusion'], properties: { retrieval: { const: 'hybrid' }, fusion: { const: 'rrf' } } } },
    },
  ],
};

/** The scoring part of validated align options, as the Aligner takes it. */
export function scoringOf({ aggregate, m, retrieval, fusion, alpha }: ScoringFields): Partial<Scoring> {
  return { aggregate, m, retrieval, fusion, alpha };
}
export const scriptSchema = z.strictObject({
  id: z.string().min(1).max(256).describe('Caller-chosen id, echoed in the result.'),
  objective: textSchema.optional().describe('What the script is for, e.g. "host a backyard barbecue".'),
  steps: stepsSchema,
});

export type ScriptRecord = z.infer<typeof scriptSchema>;
