/** Summaries of the raw samples of bench/load/mixed.ts: pure functions over what the clients recorded. */
import type { BatchSample } from './builder-loop.js';
import type { BuilderPoolResult } from './builder-pool.js';
import { probeStats, type ProbeSample } from './fixed-rate-probe.js';
import { summarizeLatencies } from '../lib/latency-stats.js';
import type { BuilderStats, MixedProbeStats, OverloadResult } from './mixed-types.js';

function countStatuses(statuses: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

function otherThan(counts: Record<string, number>, ...statuses: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([s]) => !statuses.includes(s)));
}

export function probeStatusStats(samples: readonly ProbeSample[]): MixedProbeStats {
  return { ...probeStats(samples), statuses: countStatuses(samples.map((s) => s.status)) };
}

/** The mean rounded to 1/`per` (undefined when empty). */
function mean(values: readonly number[], per: number): number | undefined {
  if (values.length === 0) return undefined;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * per) / per;
}

const allSamples = (pool: BuilderPoolResult): BatchSample[] => pool.loops.flatMap((l) => l.samples);

/** Statuses of batch answers, a transport failure keyed by what it was ("0 timeout", "0 ECONNRESET"). */
const batchStatuses = (samples: readonly BatchSample[]) => {
  const out: Record<string, number> = {};
  for (const s of samples) {
    const key = s.status === 0 ? `0 ${s.error ?? 'error'}` : String(s.status);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

export function builderStats(pool: BuilderPoolResult): BuilderStats {
  const samples = allSamples(pool);
  const served = samples.filter((s) => s.status === 200);
  const stepsServed = served.reduce((n, s) => n + s.steps, 0);
  const statuses = batchStatuses(samples);
  return {
    clients: pool.loops.length,
    requests: samples.length,
    served: served.length,
    stepsServed,
    stepsPerS: Math.round(stepsServed / pool.wallSeconds),
    wallSeconds: Math.round(pool.wallSeconds * 100) / 100,
    latency: summarizeLatencies(served.map((s) => s.latencyMs)),
    answerMB: mean(
      served.map((s) => s.bytes / 1e6),
      100,
    ),
    answerProducts: mean(
      served.flatMap((s) => (s.products === undefined ? [] : [s.products])),
      1,
    ),
    shed: statuses['503'] ?? 0,
    other: otherThan(statuses, '200', '503'),
    shapeErrors: pool.loops.reduce((n, l) => n + l.shapeErrors, 0),
    firstShapeError: pool.loops.find((l) => l.firstShapeError !== undefined)?.firstShapeError,
  };
}

/** The line for "requests that waited too long", whatever they got in the end. */
const LONG_MS = 15_000;

export function overloadStats(
  pool: BuilderPoolResult,
  o: { durationS: number; clientTimeoutS: number; serverStallMs: number | undefined },
): OverloadResult {
  const samples = allSamples(pool);
  const statuses = batchStatuses(samples);
  return {
    clients: pool.loops.length,
    durationS: o.durationS,
    clientTimeoutS: o.clientTimeoutS,
    wallSeconds: Math.round(pool.wallSeconds * 100) / 100,
    requests: samples.length,
    served: summarizeLatencies(samples.filter((s) => s.status === 200).map((s) => s.latencyMs)),
    shed: summarizeLatencies(samples.filter((s) => s.status === 503).map((s) => s.latencyMs)),
    over15s: samples.filter((s) => s.latencyMs > LONG_MS).length,
    other: otherThan(statuses, '200', '503'),
    shapeErrors: pool.loops.reduce((n, l) => n + l.shapeErrors, 0),
    serverStallMs: o.serverStallMs,
  };
}
