/**
 * The options and result rows of ingest-rate.ts, apart from the bench so that its report module (ingest-rate-report.ts)
 * reads them without importing the bench back (a bench imports its report, never the reverse).
 */
import type { AnnCeiling } from './ann-ceiling.js';
import type { StoreCounts } from '../lib/live-server.js';
import type { RunMeta } from '../harness/run-meta.js';
import type { Variant } from '../harness/variant-args.js';

export interface IngestRateOptions {
  products: number;
  batchSize: number;
  variant: Variant;
  log: (line: string) => void;
}

export interface PathRate {
  seconds: number;
  intentionsPerS: number;
  /** Over the ceiling (a). */
  ofCeiling?: number;
  /** Estimated: intentions over (seconds − the embedding time measured in (a)). */
  withoutEmbeddingPerS?: number;
}

export interface IngestRateRow {
  label: string;
  env: Record<string, string>;
  products: number;
  intentions: number;
  ceiling: AnnCeiling;
  cli: {
    /** Process start to exit: tsx start-up, store open, ingest, close (index snapshot) included. */
    wall: PathRate;
    /** Wall of `ecomalign --version` in the same environment: tsx and module loading, no store. */
    startupSeconds: number;
    /** wall − start-up: store open, ingest, and close, which waits for every text to be in HNSW. The comparable figure. */
    ingest: PathRate;
    /** The CLI's own timer around the ingest loop (its summary line): texts are committed, not yet all in HNSW. */
    inProcess: PathRate;
    store: StoreCounts;
  };
  http: {
    /** First request sent to last batch acknowledged. */
    acknowledged: PathRate;
    /** Until the index backlog was empty too (every text in HNSW, not only searchable by exact scan). */
    indexed: PathRate;
    requests: number;
    shed: number;
    store: StoreCounts;
  };
  meta: RunMeta;
}
