/**
 * The result rows of bench/load/mixed.ts (issue 21), apart from the bench so its report module
 * (mixed-report.ts) imports them without importing the bench that calls it.
 */
import type { BulkBatchShape } from './bulk-batches.js';
import type { LatencySummary } from '../lib/latency-stats.js';
import type { RunMeta } from '../harness/run-meta.js';
import type { StoreCounts } from '../lib/live-server.js';
import type { SlowConnectionSummary } from './slow-clients.js';
import type { ProbeStats } from './fixed-rate-probe.js';

/** The probe's figures (fixed-rate-probe.ts), with the answers counted by status. */
export interface MixedProbeStats extends ProbeStats {
  statuses: Record<string, number>;
}

export interface BuilderStats {
  clients: number;
  /** Every POST /align/batch sent, retries of shed batches included. */
  requests: number;
  /** 200 answers, and the steps they carried. */
  served: number;
  stepsServed: number;
  /** stepsServed over wallSeconds. */
  stepsPerS: number;
  /** From the start to the last answer (the request in flight at the end of the run included). */
  wallSeconds: number;
  /** Latency of the 200 answers, send to last byte. */
  latency: LatencySummary;
  /** Mean body size of the 200 answers, MB (10^6 bytes), and mean products in one. */
  answerMB?: number;
  answerProducts?: number;
  /** 503 answers (each waited its Retry-After, then the batch was re-sent). */
  shed: number;
  /** Statuses other than 200 and 503 (0: transport error or timeout). */
  other: Record<string, number>;
  /** 200s whose body was not 64 results × 64 steps (or not one JSON document). */
  shapeErrors: number;
  firstShapeError?: string;
}

export interface WriterStats {
  requests: number;
  shed: number;
  failed: number;
  productsPerS: number;
  intentionsPerS: number;
}

export interface ScenarioResult {
  name: string;
  probe: boolean;
  builders: number;
  writer: boolean;
  durationS: number;
  probeStats?: MixedProbeStats;
  builder?: BuilderStats;
  writerStats?: WriterStats;
  /** The server's worst event-loop stall (ms) over the scenario; undefined when /metrics exposes none. */
  serverStallMs?: number;
  /** This process's event-loop delay p99 (ms): high means the client, not the server, was late. */
  clientLagP99Ms: number;
}

export interface OverloadResult {
  clients: number;
  durationS: number;
  /** A client gives up on an answer after this long (counted as status 0, "no answer"). */
  clientTimeoutS: number;
  wallSeconds: number;
  requests: number;
  /** Latency of the 200s (count = served). */
  served: LatencySummary;
  /** Latency of the 503s (count = shed): how fast the refusals came. */
  shed: LatencySummary;
  /** Requests, whatever their status, answered after more than 15 s. */
  over15s: number;
  /** Statuses other than 200 and 503 (0: transport error or timeout). */
  other: Record<string, number>;
  shapeErrors: number;
  serverStallMs?: number;
}

export interface SlowClientResult {
  connections: number;
  path: string;
  declaredBytes: number;
  sentBytes: number;
  /** How long the normal requests ran while the slow connections were open. */
  trafficS: number;
  /** How long the slow connections were watched before being closed. */
  holdS: number;
  align: MixedProbeStats;
  products: MixedProbeStats;
  slow: SlowConnectionSummary;
}

export interface MixedRow {
  label: string;
  embedder: string;
  model?: string;
  env: Record<string, string>;
  catalog: { file: string; storeAtStart: StoreCounts; storeAtEnd: StoreCounts };
  batch: BulkBatchShape;
  probe: { ratePerS: number; k: number };
  writerBatch: number;
  durationS: number;
  scenarios: ScenarioResult[];
  slowClients: SlowClientResult[];
  /** Absent in trials of a few scenarios (`--scenarios`). */
  overload?: OverloadResult;
  meta: RunMeta;
}
