/**
 * `npm run loadtest`: what k6 cannot do by itself, since a k6 run follows a schedule fixed in
 * advance: search for the service's sustained rate, then show what twice that rate does to it. Every
 * trial is a real k6 run of loadtests/capacity.ts (open model, fixed rate); this only chooses the
 * next rate, and reads the server's own latency histogram (/metrics) and memory beside k6's view.
 * The profiles themselves run with `npm run k6 -- <profile> --base-rate <the mix's sustained rate>`.
 *
 *   npm run loadtest -- [--embedder lexical] [--p99-ms 100] [--quick] [--out DIR]
 *
 * 1. The sustained rate of 1-step and of 5-step /align: the highest arrival rate whose served
 *    requests keep p99 under the bound with nothing shed, failed or dropped, confirmed over a longer hold.
 * 2. Twice that rate: share shed with 503, p99 of what was served, peak memory, alive afterwards.
 * 3. The traffic mix's sustained rate (bound on p95): the base rate for the profiles.
 * Writes loadtests/results/latest.{json,md}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES } from '../lib/profiles.js';
import { LOADTESTS, k6Binary, k6Version, runK6, startTarget, type Target } from './k6.js';
import { percentileBetween, scrapeBuckets } from './server-latency.js';

const { values } = parseArgs({
  options: {
    embedder: { type: 'string', default: process.env.EMBEDDER ?? 'lexical' },
    'p99-ms': { type: 'string', default: '100' },
    out: { type: 'string', default: join(LOADTESTS, 'results') },
    quick: { type: 'boolean', default: false },
  },
});

const P99_BOUND = Number(values['p99-ms']);
const STEP_S = values.quick ? 3 : 6;
const HOLD_S = values.quick ? 5 : 15;

export interface Trial {
  phase: string;
  targetRate: number;
  durationS: number;
  sent: number;
  achievedRate: number;
  shedShare: number;
  /** Share k6 counted as failed: answers other than 2xx and 503, or none. */
  failedShare: number;
  serverErrors: number;
  /** Arrivals k6 could not start for want of a VU: the generator, not the service, fell short. */
  dropped: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Bucket bound under which 99 % of the 2xx answers fell in the server's own histogram. */
  serverP99Ms?: number;
  peakRssBytes?: number;
}

const round = (x: number | undefined) => Math.round((x ?? NaN) * 10) / 10;

async function trial(k6: string, target: Target, phase: string, scenario: string, rate: number, durationS: number): Promise<Trial> {
  const before = await scrapeBuckets(target.url);
  const run = await runK6(
    k6,
    join(LOADTESTS, 'capacity.ts'),
    {
      BASE_URL: target.url,
      SCENARIO: scenario,
      RATE: String(rate),
      DURATION_S: String(durationS),
      ...(target.apiKey ? { API_KEY: target.apiKey } : {}),
    },
    true,
  );
  if (run.exitCode !== 0) throw new Error(`k6 exited ${run.exitCode} on ${phase} at ${rate}/s`);
  const after = await scrapeBuckets(target.url);
  const m = run.summary.metrics;
  const sent = m.http_reqs?.count ?? 0;
  const served = m.ecomalign_served_duration;
  const t: Trial = {
    phase,
    targetRate: rate,
    durationS,
    sent,
    achievedRate: round(sent / durationS),
    shedShare: m.ecomalign_shed?.value ?? 0,
    failedShare: m.http_req_failed?.value ?? 0,
    serverErrors: m.ecomalign_server_errors?.count ?? 0,
    dropped: m.dropped_iterations?.count ?? 0,
    latencyMs: { p50: round(served?.med), p95: round(served?.['p(95)']), p99: round(served?.['p(99)']), max: round(served?.max) },
    serverP99Ms: percentileBetween(before, after, 99),
    peakRssBytes: target.peakRssBytes(),
  };
  process.stderr.write(
    `  ${phase.padEnd(24)} ${String(rate).padStart(6)}/s  sent ${t.sent}  shed ${(t.shedShare * 100).toFixed(1)} %  failed ${(t.failedShare * 100).toFixed(2)} %  dropped ${t.dropped}  p95 ${t.latencyMs.p95} ms  p99 ${t.latencyMs.p99} ms  server p99 <= ${t.serverP99Ms} ms\n`,
  );
  return t;
}

/** Served everything, on time. For the mix the bound is on p95: its 8-script batches are slow by nature. */
function meetsBound(t: Trial, percentile: 'p95' | 'p99'): boolean {
  const limit = percentile === 'p99' ? P99_BOUND : PROFILES.load.thresholds.p95Ms;
  return (
    t.latencyMs[percentile] < limit && t.shedShare === 0 && t.failedShare === 0 && t.dropped === 0 && t.achievedRate >= t.targetRate * 0.97
  );
}

/** Geometric climb from 20/s until the bound breaks (or halving below it), two bisection steps, then a longer confirming hold (backing off 10 % at a time). */
async function findCapacity(
  k6: string,
  target: Target,
  scenario: string,
  percentile: 'p95' | 'p99',
): Promise<{ rate: number; trials: Trial[] }> {
  const trials: Trial[] = [];
  let good = 0;
  let bad = 0;
  for (let rate = 20; rate <= 20_000; rate = Math.round(rate * 1.6)) {
    const t = await trial(k6, target, `${scenario} search`, scenario, rate, STEP_S);
    trials.push(t);
    if (meetsBound(t, percentile)) good = rate;
    else {
      bad = rate;
      break;
    }
  }
  // Even the first rate was too much (a slow embedder on 2 cores): halve down to 1/s.
  for (let rate = Math.floor(bad / 2); good === 0 && rate >= 1; rate = Math.floor(rate / 2)) {
    const t = await trial(k6, target, `${scenario} search`, scenario, rate, STEP_S);
    trials.push(t);
    if (meetsBound(t, percentile)) good = rate;
    else bad = rate;
  }
  for (let i = 0; i < 2 && bad > 0 && good > 0; i++) {
    const mid = Math.round((good + bad) / 2);
    const t = await trial(k6, target, `${scenario} search`, scenario, mid, STEP_S);
    trials.push(t);
    if (meetsBound(t, percentile)) good = mid;
    else bad = mid;
  }
  for (let rate = good; rate > 0; rate = Math.round(rate * 0.9)) {
    const t = await trial(k6, target, `${scenario} sustained`, scenario, rate, HOLD_S);
    trials.push(t);
    if (meetsBound(t, percentile)) return { rate, trials };
  }
  return { rate: 0, trials };
}

async function main(): Promise<void> {
  const k6 = k6Binary();
  const target = await startTarget(values.embedder);
  const tables: { title: string; rows: Trial[] }[] = [];
  const headline: Record<string, unknown> = {};
  try {
    for (const scenario of ['align1', 'align5'] as const) {
      process.stderr.write(`loadtest: sustained rate of ${scenario}\n`);
      const { rate, trials } = await findCapacity(k6, target, scenario, 'p99');
      const overload = await trial(k6, target, `${scenario} 2x overload`, scenario, Math.max(1, rate * 2), HOLD_S);
      const alive = (await fetch(`${target.url}/healthz`)).status === 200;
      const recovered = await trial(k6, target, `${scenario} after overload`, scenario, Math.max(1, rate), STEP_S);
      headline[scenario] = { sustainedRate: rate, sustainedP99Ms: trials[trials.length - 1].latencyMs.p99, overload, aliveAfter: alive };
      tables.push({ title: `${scenario}: capacity search, 2x overload, recovery`, rows: [...trials, overload, recovered] });
    }
    process.stderr.write('loadtest: sustained rate of the traffic mix\n');
    const mix = await findCapacity(k6, target, 'mix', 'p95');
    headline.mix = { sustainedRate: mix.rate };
    tables.push({ title: 'Traffic mix: capacity search (bound on p95)', rows: mix.trials });
  } finally {
    await target.stop();
  }
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, k6: k6Version(k6) },
    target: target.description,
    p99BoundMs: P99_BOUND,
    headline,
    phases: tables,
  };
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(values.out, 'latest.md'), renderMarkdown(report));
  process.stderr.write(`loadtest: report in ${join(values.out, 'latest.md')}\n`);
}

interface Headline {
  align1: { sustainedRate: number; sustainedP99Ms: number; overload: Trial; aliveAfter: boolean };
  align5: { sustainedRate: number; sustainedP99Ms: number; overload: Trial; aliveAfter: boolean };
  mix: { sustainedRate: number };
}

const mib = (b?: number) => (b ? `${Math.round(b / 1048576)} MiB` : 'n/a');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function markdownTable(rows: Trial[]): string {
  const lines = [
    '| phase | target req/s | sent | achieved req/s | shed 503 | failed | 5xx | dropped by k6 | p50 ms | p95 ms | p99 ms | max ms | server p99 ms | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.phase} | ${r.targetRate} | ${r.sent} | ${r.achievedRate} | ${pct(r.shedShare)} | ${pct(r.failedShare)} | ${r.serverErrors} | ${r.dropped} | ${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.latencyMs.p99} | ${r.latencyMs.max} | ≤ ${r.serverP99Ms ?? 'n/a'} | ${mib(r.peakRssBytes)} |`,
    );
  }
  return lines.join('\n');
}

function renderMarkdown(report: {
  date: string;
  machine: { cpus: number; node: string; k6: string };
  target: string;
  headline: Record<string, unknown>;
  phases: { title: string; rows: Trial[] }[];
}): string {
  const h = report.headline as unknown as Headline;
  const lines = [
    '# Load test: capacity search (`npm run loadtest`, k6 trials)',
    '',
    `${report.date.slice(0, 16).replace('T', ' ')} UTC; ${report.machine.cpus} CPUs, Node ${report.machine.node}, ${report.machine.k6}; target: ${report.target}. k6 and the server share this machine, so the figures are a floor for the service, not a ceiling. Latency is k6's, of the 2xx answers, from each request's send; "server p99" is the bucket bound from the server's own histogram.`,
    '',
    `| | sustained req/s (p99 < ${P99_BOUND} ms, nothing shed) | at 2x: shed | at 2x: served p99 | at 2x: server p99 | at 2x: failed | at 2x: 5xx other than 503 | peak RSS | alive after |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const key of ['align1', 'align5'] as const) {
    const r = h[key];
    lines.push(
      `| /align ${key === 'align1' ? '1 step' : '5 steps'} | ${r.sustainedRate} (p99 ${r.sustainedP99Ms} ms) | ${pct(r.overload.shedShare)} | ${r.overload.latencyMs.p99} ms | ≤ ${r.overload.serverP99Ms} ms | ${pct(r.overload.failedShare)} | ${r.overload.serverErrors} | ${mib(r.overload.peakRssBytes)} | ${r.aliveAfter ? 'yes' : 'NO'} |`,
    );
  }
  lines.push(
    '',
    `Traffic mix sustained (p95 < ${PROFILES.load.thresholds.p95Ms} ms, nothing shed): **${h.mix.sustainedRate} req/s**, the base rate for \`npm run k6 -- <profile> --base-rate ${h.mix.sustainedRate}\`.`,
    '',
  );
  for (const t of report.phases) lines.push(`## ${t.title}`, '', markdownTable(t.rows), '');
  return `${lines.join('\n')}\n`;
}

main().catch((err: unknown) => {
  process.stderr.write(`loadtest failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
