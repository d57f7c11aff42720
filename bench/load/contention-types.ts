/**
 * The options and result rows of contention.ts, apart from the bench so that its report module (contention-report.ts)
 * reads them without importing the bench back (a bench imports its report, never the reverse).
 */
import type { LatencySummary } from '../lib/latency-stats.js';
import type { StoreCounts } from '../lib/live-server.js';
import type { RunMeta } from '../harness/run-meta.js';
import type { Variant } from '../harness/variant-args.js';
import type { ProbeStats } from './fixed-rate-probe.js';

export interface ContentionOptions {
  durationS: number;
  ratePerS: number;
  /** Products (10 intentions each) in the preloaded store. */
  preloadProducts: number;
  batchSize: number;
  variant: Variant;
  log: (line: string) => void;
}

export interface ContentionRow {
  label: string;
  size: 'empty' | 'preloaded';
  env: Record<string, string>;
  durationS: number;
  ratePerS: number;
  batchSize: number;
  storeAtStart: StoreCounts;
  storeAtEnd: StoreCounts;
  /** Wall time of the CLI ingest that built the preloaded store. */
  preloadSeconds?: number;
  alone: ProbeStats;
  withWriter: ProbeStats;
  writer: {
    requests: number;
    shed: number;
    failed: number;
    products: number;
    intentions: number;
    seconds: number;
    productsPerS: number;
    intentionsPerS: number;
    batchLatencyMs: LatencySummary;
  };
  /** Probe p99 with the writer over probe p99 alone. */
  p99Ratio?: number;
  meetsTarget: boolean;
  /**
   * The benchmark process's own event-loop delay (p99, ms) in each phase: high means the client,
   * not the server, was late (a busy machine, or the writer's JSON work beside the probe).
   */
  clientLagP99Ms: { alone: number; withWriter: number };
  meta: RunMeta;
}
