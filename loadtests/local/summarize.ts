import { percentile, type OpenLoopResult } from './open-loop.js';

/** One phase of a load run, reduced to the figures the report shows. */
export interface PhaseSummary {
  phase: string;
  targetRate: number | string;
  durationS: number;
  sent: number;
  achievedRate: number;
  served: number;
  shed: number;
  shedShare: number;
  /** Non-2xx answers other than 503, plus transport errors: these are failures. */
  errors: number;
  serverErrors: number;
  droppedByGenerator: number;
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number };
  statuses: Record<string, number>;
  peakRssBytes?: number;
  /** p99 of the server's own handling time (a bucket bound), from its /metrics histogram. */
  serverP99Ms?: number;
  /** p99 of the generator's event-loop lag: high means the generator was late, not the server. */
  generatorLagP99Ms?: number;
}

export function summarize(phase: string, targetRate: number | string, run: OpenLoopResult, peakRssBytes?: number): PhaseSummary {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let transport = 0;
  for (const tally of Object.values(run.scenarios)) {
    sent += tally.sent;
    transport += tally.transportErrors;
    for (const l of tally.served) latencies.push(l);
    for (const [code, n] of Object.entries(tally.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  }
  latencies.sort((a, b) => a - b);
  const shed = statuses['503'] ?? 0;
  const failed = Object.entries(statuses)
    .filter(([code]) => !(code.startsWith('2') || code === '503'))
    .reduce((s, [, n]) => s + n, 0);
  const serverErrors = Object.entries(statuses)
    .filter(([code]) => code.startsWith('5') && code !== '503')
    .reduce((s, [, n]) => s + n, 0);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    phase,
    targetRate,
    durationS: run.durationS,
    sent,
    achievedRate: round(sent / run.durationS),
    served: latencies.length,
    shed,
    shedShare: sent ? round((shed / sent) * 1000) / 1000 : 0,
    errors: failed + transport,
    serverErrors,
    droppedByGenerator: run.droppedByGenerator,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? NaN),
    },
    statuses,
    peakRssBytes,
  };
}

export function markdownTable(rows: PhaseSummary[]): string {
  const mib = (b?: number) => (b === undefined ? 'n/a' : `${Math.round(b / 1048576)} MiB`);
  const lines = [
    '| phase | target req/s | sent | achieved req/s | served | shed 503 | errors | p50 ms | p95 ms | p99 ms | max ms | server p99 ms | generator lag p99 ms | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.phase} | ${r.targetRate} | ${r.sent} | ${r.achievedRate} | ${r.served} | ${r.shed} (${(r.shedShare * 100).toFixed(1)} %) | ${r.errors} | ${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.latencyMs.p99} | ${r.latencyMs.max} | ≤ ${r.serverP99Ms ?? 'n/a'} | ${r.generatorLagP99Ms ?? 'n/a'} | ${mib(r.peakRssBytes)} |`,
    );
  }
  return lines.join('\n');
}
