import { z } from 'zod';
import { alignOptionsShape, checkScoringFields, type ScoringFields } from '../align/script-schema.js';
import { SETTINGS } from '../config.js';
import { LIMITS } from '../core/product.js';
import type { OptionProblem } from './command.js';
import { choice, fromSetting, numeric } from './options.js';

/** Options more than one command declares, with the limits of the domain they feed. */

/** Where the store is and which model embeds: the commands that open the services take these. */
export const storeOptions = {
  'data-dir': fromSetting(SETTINGS.dataDir, 'DIR'),
  embedder: fromSetting(SETTINGS.embedder, 'NAME'),
};

export const portOption = fromSetting(SETTINGS.port, 'N');

/** Products per catalog or store upsert: the same bound as one POST /products. */
export const productBatchSize = numeric('products per upsert', z.number().int().min(1).max(LIMITS.maxProductsPerBatch).default(256));

/** Scripts per alignment call. */
export const scriptBatchSize = numeric('scripts per alignment call', z.number().int().min(1).max(4096).default(64));

/** Products per step and the minimum similarity, as POST /align takes them. */
export const kOption = numeric('products per step', alignOptionsShape.k);
export const thresholdOption = numeric(
  'minimum score under the scoring (a cosine under the default semantic retrieval); unset: the calibrated threshold of the scoring',
  alignOptionsShape.threshold,
  'T',
);

/** How products are scored for a step, as POST /align takes it (aggregate, m, retrieval, fusion, alpha). */
export const scoringOptions = {
  aggregate: choice(
    "how a product's texts make its score: its best text, the mean of all, or the mean of its m best",
    alignOptionsShape.aggregate,
    'HOW',
  ),
  m: numeric('the m of --aggregate topm (default 3); only with topm', alignOptionsShape.m, 'M'),
  retrieval: choice(
    'where candidates come from: the embedding index, BM25 over the texts, or both fused',
    alignOptionsShape.retrieval,
    'FROM',
  ),
  fusion: choice('how --retrieval hybrid merges the two sides (default weighted); only with hybrid', alignOptionsShape.fusion, 'HOW'),
  alpha: numeric('weight of the semantic side in weighted fusion (default 0.5); only with fusion weighted', alignOptionsShape.alpha, 'A'),
};

/** The scoring options as parsed: the same fields POST /align takes. */
export type ScoringValues = ScoringFields;

/** The combinations POST /align refuses (checkScoringFields), each named by the option that does not fit. */
export function scoringProblems(values: ScoringValues): OptionProblem[] {
  const parsed = z
    .custom<ScoringValues>()
    .superRefine((v, ctx) => checkScoringFields(v, ctx))
    .safeParse(values);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ option: String(issue.path[0]), message: issue.message }));
}

/**
 * For the commands whose sets and sweeps are cut at a threshold: a rank-fusion score has none.
 * `why` says what the threshold is needed for.
 */
export function rankFusionProblem(values: Pick<ScoringValues, 'retrieval' | 'fusion'>, why: string): OptionProblem[] {
  if (values.retrieval !== 'hybrid' || values.fusion !== 'rrf') return [];
  return [
    {
      option: 'fusion',
      message: `rrf is not supported: rank fusion has no threshold (its score only orders one step's products), and ${why}`,
    },
  ];
}
