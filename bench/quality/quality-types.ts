/**
 * The result of quality.ts, apart from the bench so that its report module (quality-report.ts)
 * reads them without importing the bench back (a bench imports its report, never the reverse).
 */
import type { Aggregation } from '../../src/align/scoring/aggregate.js';
import type { QaData } from '../../support/quality-data.js';
import type { RunMeta } from '../harness/run-meta.js';
import type { Bm25Summary, FourWayScores, Mode, RetrievalScores, ThresholdChoice } from './quality-metrics.js';
import type { PoolResult } from './quality-pool.js';
import type { ThresholdPoint } from './threshold-meaning.js';

/** (e) What each model's thresholds mean over the whole held-out catalog. */
export interface ThresholdMeaning {
  embedder: string;
  /** Max (semantic) at the model's default threshold. */
  atDefault: ThresholdPoint;
  curve: ThresholdPoint[];
  f1Best: ThresholdPoint & { f1: number };
  rows: {
    aggregate: Aggregation;
    mode: Mode;
    defaultThreshold: number;
    atDefault: ThresholdPoint;
    /** The threshold giving as many products per step as max at the default (the calibration rule). */
    equalSelectivity: number;
    atEqualSelectivity: ThresholdPoint;
  }[];
}

export interface Cell<T> {
  embedder: string;
  aggregate: Aggregation;
  mode: Mode;
  value: T;
}

export type FourWayCell = Cell<Omit<FourWayScores, 'positives' | 'negatives'> & { threshold?: ThresholdChoice }>;

export interface QualityResult {
  meta: RunMeta & { wallSeconds: number; loadAverageEnd: number[]; note?: string };
  data: {
    products: number;
    questions: number;
    questionsWithoutClause: number;
    goldAmongDistractors: number;
    queries: number;
    keptRows: number;
    heldOutQuestions: number;
    heldOut: QaData['heldOutStats'];
    fullTexts: number;
  };
  embedders: { name: string; id: string; thresholds: Record<Aggregation, number> }[];
  /** (a) task2 four-way, match titles, titles-only store; with each scoring's F1-best threshold (c). */
  fourWayTitles: FourWayCell[];
  /** Supplement to (a)/(c): query-half task2 questions on the held-out store, match both. */
  fourWayHeldOutBoth: FourWayCell[];
  /** (b) held-out clause → its pair's products over the whole catalog, match both. */
  retrieval: Cell<RetrievalScores>[];
  /** (c) raw FTS5 BM25 of each query's best lexical text, per store and match. */
  bm25: { store: string; match: string; texts: number; summary: Bm25Summary }[];
  lexicalHalfScore: number;
  lexicalThresholds: Record<Aggregation, number>;
  /** (d) on data/sample with the lexical embedder. */
  pool: PoolResult;
  /** (e) thresholds over the whole held-out catalog. */
  thresholds: ThresholdMeaning[];
  sectionSeconds: Record<string, number>;
}
