/**
 * The options and result of ann-choice.ts, apart from the bench so that its report module (ann-choice-report.ts)
 * reads them without importing the bench back (a bench imports its report, never the reverse).
 */
import type { ClusterModel } from '../../support/synthetic.js';
import type { CandidateId } from './ann-choice-candidates.js';

export interface AnnChoiceOptions {
  size: number;
  queries: number;
  dimension: number;
  seed: number;
  churn: { seeds: number; rounds: number; maxBatch: number; queriesPerRound: number; watchdogSeconds: number };
  candidates?: CandidateId[];
  log?: (line: string) => void;
}

export interface BuildRow {
  candidate: CandidateId;
  name: string;
  async: boolean;
  buildSeconds: number;
  buildPerSecond: number;
  maxStallMs: number;
  recallAt10: number;
  queriesPerSecond: number;
  rssBytesPerVector: number;
  heapBytesPerVector: number;
  estimatedBytesPerVector: number | null;
  diskBytesPerVector: number | null;
  appended: number;
  appendedRecallAt10: number;
  appendedSelfTop1: number;
}

export interface ChurnRow {
  candidate: CandidateId;
  seeds: number;
  passed: number;
  failed: { seed: number; round: number; check: string; message: string }[];
  hung: { seed: number; roundsDone: number }[];
  adds: number;
  removes: number;
  rounds: number;
  maxLive: number;
  selfCheckSample: number | 'all';
  scoreTolerance: number;
  recallAt10: number;
  secondsPerSeed: number;
}

export interface AnnChoiceResult {
  options: Omit<AnnChoiceOptions, 'log'>;
  data: { kind: 'clustered-low-rank'; clusters: number } & ClusterModel['params'];
  build: (BuildRow & { speedup: number; buildRatio: number })[];
  buildErrors: { candidate: CandidateId; error: string }[];
  churn: ChurnRow[];
}
