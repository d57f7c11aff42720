import type { Aggregation } from './aggregate.js';
import type { Fusion } from './fusion.js';

/** Where a step's candidates come from: the vector index, BM25, or both fused (fusion.ts). */
export type Retrieval = 'semantic' | 'lexical' | 'hybrid';

export const RETRIEVALS: readonly Retrieval[] = ['semantic', 'lexical', 'hybrid'];

/** How products are found and scored for a step; every result reports the one that produced it. */
export interface Scoring {
  aggregate: Aggregation;
  /** The m of topm (the mean of the m best texts); set only with aggregate "topm". */
  m?: number;
  retrieval: Retrieval;
  /** Set only with retrieval "hybrid". */
  fusion?: Fusion;
  /** Weight of the semantic side in weighted fusion, in [0, 1]; set only with fusion "weighted". */
  alpha?: number;
}

export const DEFAULT_SCORING: Scoring = { aggregate: 'max', retrieval: 'semantic' };
export const DEFAULT_M = 3;
export const DEFAULT_ALPHA = 0.5;

/** Fills in the defaults that depend on other choices (m for topm, fusion and alpha for hybrid). */
export function completeScoring(s: Partial<Scoring>): Scoring {
  const aggregate = s.aggregate ?? 'max';
  const retrieval = s.retrieval ?? 'semantic';
  const out: Scoring = { aggregate, retrieval };
  if (aggregate === 'topm') out.m = s.m ?? DEFAULT_M;
  if (retrieval === 'hybrid') {
    out.fusion = s.fusion ?? 'weighted';
    if (out.fusion === 'weighted') out.alpha = s.alpha ?? DEFAULT_ALPHA;
  }
  return out;
}

/** Whether the scoring's score can be thresholded (rank fusion's cannot). */
export function thresholdable(s: Scoring): boolean {
  return !(s.retrieval === 'hybrid' && s.fusion === 'rrf');
}
