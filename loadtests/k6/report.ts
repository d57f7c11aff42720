import { SCENARIO_SHARE, type ScenarioName } from '../lib/profiles.js';
import type { ExportedMetric, SummaryExport } from './k6.js';

/** k6's summary export of a profile run, condensed to the figures the report shows. */

export interface ProfileFigures {
  requests: number;
  ratePerS: number;
  /** Share of requests k6 counted as failed: answers other than 2xx and 503, or none. */
  failedShare: number;
  shedShare: number;
  /** 5xx other than a 503 with Retry-After. */
  serverErrors: number;
  /** Arrivals k6 could not start for want of a free VU: the generator, not the service, fell short. */
  droppedIterations: number;
  /** Served (2xx) latency, ms, per scenario and over all of them. */
  served: Record<ScenarioName | 'all', { med?: number; p95?: number; p99?: number; max?: number }>;
  /** Requests sent per scenario. */
  sent: Record<ScenarioName, number>;
  /** Every threshold with whether it held. */
  thresholds: { metric: string; expression: string; passed: boolean; value: string }[];
}

const round = (x: number | undefined, digits = 1) => (x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits);

function latency(m: ExportedMetric | undefined) {
  return { med: round(m?.med), p95: round(m?.['p(95)']), p99: round(m?.['p(99)']), max: round(m?.max) };
}

/** The observed value a threshold expression was judged on, e.g. "p(95)=12.3ms" or "rate=0.00%". */
function observed(metric: string, expression: string, m: ExportedMetric): string {
  const stat = /^([a-z]+(?:\(\d+(?:\.\d+)?\))?)/.exec(expression)?.[1] ?? '';
  if (stat === 'rate') return `rate=${((m.value ?? m.rate ?? 0) * 100).toFixed(2)} %`;
  if (stat === 'count') return `count=${m.count ?? 0}`;
  const v = m[stat as keyof ExportedMetric];
  return typeof v === 'number' ? `${stat}=${round(v)}${metric.includes('duration') ? ' ms' : ''}` : stat;
}

export function condense(summary: SummaryExport): ProfileFigures {
  const m = summary.metrics;
  const served = { all: latency(m.ecomalign_served_duration) } as ProfileFigures['served'];
  const sent = {} as ProfileFigures['sent'];
  for (const s of Object.keys(SCENARIO_SHARE) as ScenarioName[]) {
    served[s] = latency(m[`ecomalign_served_duration{scenario:${s}}`]);
    sent[s] = m[`http_reqs{scenario:${s}}`]?.count ?? 0;
  }
  const thresholds: ProfileFigures['thresholds'] = [];
  for (const [metric, values] of Object.entries(m).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [expression, crossed] of Object.entries(values.thresholds ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      thresholds.push({ metric, expression, passed: !crossed, value: observed(metric, expression, values) });
    }
  }
  return {
    requests: m.http_reqs?.count ?? 0,
    ratePerS: round(m.http_reqs?.rate) ?? 0,
    failedShare: m.http_req_failed?.value ?? 0,
    shedShare: m.ecomalign_shed?.value ?? 0,
    serverErrors: m.ecomalign_server_errors?.count ?? 0,
    droppedIterations: m.dropped_iterations?.count ?? 0,
    served,
    sent,
    thresholds,
  };
}

export interface ProfileReportMeta {
  profile: string;
  baseRate: number;
  durationS: number;
  scaleNote: string;
  target: string;
  k6Version: string;
  exitCode: number;
  wallS: number;
  peakRssBytes?: number;
  date: string;
  command: string;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const cell = (x: number | undefined) => (x === undefined ? 'n/a' : String(x));

export function renderProfileReport(f: ProfileFigures, meta: ProfileReportMeta): string {
  const verdict =
    meta.exitCode === 0 ? 'all thresholds held' : meta.exitCode === 99 ? 'THRESHOLDS CROSSED' : `k6 FAILED (exit ${meta.exitCode})`;
  const lines = [
    `# k6 ${meta.profile} profile`,
    '',
    `${meta.date}; ${meta.k6Version}; target: ${meta.target}. Base rate ${meta.baseRate} req/s, ${meta.durationS} s (${meta.scaleNote}); k6 ran ${round(meta.wallS)} s. Result: **${verdict}** (k6 exit ${meta.exitCode}).`,
    '',
    `Reproduce: \`${meta.command}\``,
    '',
    '| requests | req/s | failed | shed (503) | 5xx other than 503 with Retry-After | dropped by k6 | served p50 ms | served p95 ms | served p99 ms | served max ms | server peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${f.requests} | ${f.ratePerS} | ${pct(f.failedShare)} | ${pct(f.shedShare)} | ${f.serverErrors} | ${f.droppedIterations} | ${cell(f.served.all.med)} | ${cell(f.served.all.p95)} | ${cell(f.served.all.p99)} | ${cell(f.served.all.max)} | ${meta.peakRssBytes ? `${Math.round(meta.peakRssBytes / 1048576)} MiB` : 'n/a'} |`,
    '',
    '## Served latency per scenario (ms, 2xx only)',
    '',
    '| scenario | share | requests | p50 | p95 | p99 | max |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const s of Object.keys(SCENARIO_SHARE) as ScenarioName[]) {
    const l = f.served[s];
    lines.push(
      `| ${s} | ${Math.round(SCENARIO_SHARE[s] * 100)} % | ${f.sent[s]} | ${cell(l.med)} | ${cell(l.p95)} | ${cell(l.p99)} | ${cell(l.max)} |`,
    );
  }
  lines.push('', '## Thresholds', '', '| metric | threshold | observed | held |', '|---|---|---|---|');
  for (const t of f.thresholds) lines.push(`| \`${t.metric}\` | \`${t.expression}\` | ${t.value} | ${t.passed ? 'yes' : '**NO**'} |`);
  return `${lines.join('\n')}\n`;
}
