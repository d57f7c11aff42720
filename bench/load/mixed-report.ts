/** Renders bench/load/mixed.ts rows as markdown: per embedder, the scenarios, the slow uploads and the overload run; then how each row was run. */
import type { LatencySummary } from '../lib/latency-stats.js';
import { ratioOf } from '../lib/latency-stats.js';
import type { MixedProbeStats, MixedRow, ScenarioResult } from './mixed-types.js';
import { envCell } from '../harness/variant-args.js';
import { runMetaCells } from '../harness/run-meta.js';

const n = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US'));
const p50p99 = (l: LatencySummary | undefined) => (l === undefined || l.count === 0 ? '–' : `${n(l.p50)} / **${n(l.p99)}**`);
const statuses = (s: Record<string, number>) =>
  Object.entries(s)
    .map(([status, count]) => `${status.startsWith('0') ? `no answer${status.slice(1) && ` (${status.slice(2)})`}` : status}: ${count}`)
    .join(', ') || 'none';
const ratio = (r: number | undefined) => (r === undefined ? '–' : `${r}×`);
const stall = (ms: number | undefined) => (ms === undefined ? 'not exposed' : n(ms));

function scenarioCells(row: MixedRow, s: ScenarioResult): string {
  const alone = row.scenarios.find((x) => x.probe && x.builders === 0 && !x.writer)?.probeStats;
  const builderAlone = row.scenarios.find((x) => !x.probe && x.builders === 1)?.builder;
  const p: MixedProbeStats | undefined = s.probeStats;
  const b = s.builder;
  return [
    row.label,
    s.name,
    p ? p50p99(p) : '–',
    p && alone && s.builders + Number(s.writer) > 0 ? ratio(ratioOf(p.p99, alone.p99)) : '–',
    p ? `${p.shed} (${p.failed})` : '–',
    b ? n(b.stepsPerS) : '–',
    b && builderAlone && s.probe ? ratio(ratioOf(b.stepsPerS, builderAlone.stepsPerS)) : '–',
    b ? p50p99(b.latency) : '–',
    b?.answerMB === undefined ? '–' : `${b.answerMB} (${n(b.answerProducts)})`,
    b
      ? `${b.shed}${Object.keys(b.other).length ? ` (other: ${statuses(b.other)})` : ''}${b.shapeErrors ? ` **${b.shapeErrors} bad bodies**` : ''}`
      : '–',
    s.writerStats ? `${n(s.writerStats.intentionsPerS)} (${s.writerStats.shed})` : '–',
    stall(s.serverStallMs),
    String(s.clientLagP99Ms),
  ].join(' | ');
}

function slowOutcome(row: MixedRow['slowClients'][number]): string {
  return row.slow.outcomes
    .map((o) => `${o.count} × ${o.outcome}${o.firstAfterMs === undefined ? '' : ` after ${n(o.firstAfterMs)}–${n(o.lastAfterMs)} ms`}`)
    .join('; ');
}

function embedderSection(embedder: string, rows: MixedRow[]): string[] {
  return [
    `## ${embedder}`,
    '',
    '### Probe and builders',
    '',
    '| label | scenario | probe p50 / p99 ms | probe p99 vs alone | probe 503 (other) | builder steps/s | vs builder alone | builder request p50 / p99 ms | answer MB (products) | builder 503s | writer intentions/s (503) | worst server stall ms | client lag p99 ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.flatMap((r) => r.scenarios.map((s) => `| ${scenarioCells(r, s)} |`)),
    '',
    '### Slow uploads',
    '',
    '| label | slow connections | /align statuses | /align p50 / p99 ms | POST /products statuses | /products p50 / p99 ms | what the slow connections got (watched for) |',
    '| --- | ---: | --- | ---: | --- | ---: | --- |',
    ...rows.flatMap((r) =>
      r.slowClients.map(
        (x) =>
          `| ${r.label} | ${x.connections} | ${statuses(x.align.statuses)} | ${p50p99(x.align)} | ${statuses(x.products.statuses)} | ${p50p99(x.products)} | ${slowOutcome(x)} (${x.holdS} s) |`,
      ),
    ),
    '',
    '### Overload',
    '',
    '| label | clients | D s | wall s | requests | served | served p50 / p99 ms | 503 | 503 p50 / p99 ms | over 15 s | other statuses (client gives up after) | worst server stall ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows.flatMap((r) => {
      const o = r.overload;
      if (!o) return [];
      return `| ${r.label} | ${o.clients} | ${o.durationS} | ${o.wallSeconds} | ${o.requests} | ${o.served.count} | ${p50p99(o.served)} | ${o.shed.count} | ${p50p99(o.shed)} | ${o.over15s} | ${statuses(o.other)}${o.shapeErrors ? ` **${o.shapeErrors} bad bodies**` : ''} (${o.clientTimeoutS} s) | ${stall(o.serverStallMs)} |`;
    }),
    '',
  ];
}

export function renderMixed(rows: MixedRow[]): string {
  const sorted = [...rows].sort((a, b) => a.embedder.localeCompare(b.embedder) || a.label.localeCompare(b.label));
  const first = sorted[0];
  const embedders = [...new Set(sorted.map((r) => r.embedder))];
  const lines = [
    '# Live lookups beside bulk alignment, and slow clients (issue 21)',
    '',
    'Black-box, on the real server (`ecomalign serve` as a child process, `npm start` defaults but for `--env`, embedding cache on, fresh `DATA_DIR`, loopback), ' +
      `the IntentionQA catalog (\`${first?.catalog.file ?? 'data/intentionqa/catalog.jsonl'}\`) ingested with the CLI first.`,
    '',
    `- **Probe**: \`POST /align\` with one step (k ${first?.probe.k ?? 5}), open loop at ${first?.probe.ratePerS ?? 20}/s; latency from the scheduled send to the last byte, 503s and failures included; fresh step texts per scenario.`,
    `- **Builder**: closed loop, one \`POST /align/batch\` in flight, ${first?.batch.scripts ?? 64} scripts × ${first?.batch.stepsPerScript ?? 64} steps (k ${first?.batch.k ?? 20}, threshold ${first?.batch.threshold ?? "the model's"}: with -1 every step gets k products, 81,920 per answer as in the issue), new steps every request (generated scripts, repeats inside a request, a per-request tag so no text repeats across requests and the embedding cache cannot make later scenarios cheaper). ` +
      'On a 503 it waits Retry-After and re-sends the batch. Steps/s: steps of the 200 answers over the wall time, the request in flight at the end included. Each answer is read to its last byte (streamed or not), then parsed and checked for 64 results × 64 steps. Builders run on worker threads of the benchmark process, so their JSON parsing does not delay the probe.',
    `- **Writer**: ${first?.writerBatch ?? 200}-product batches (10 intentions each, new ids) to \`POST /products\` back to back (bench/load/serial-writer.ts).`,
    "- **Worst server stall**: the largest `nodejs_eventloop_lag_max_seconds` of the server's /metrics (prom-client default metrics, 10 ms resolution, reset at each scrape), scraped before, every second during, and after the scenario. **Client lag**: the benchmark process's own event-loop delay p99; when high, the client, not the server, was late.",
    '- **Slow uploads**: raw TCP connections that send `POST /align` headers declaring a 100,000-byte JSON body, its first 10 bytes, then nothing; meanwhile `/align` (1 step, 20/s) and `POST /products` (5 products, 5/s), open loop. The slow connections are watched for the stated time, then closed.',
    '- **Overload**: 64 builder clients, each sending its next 4,096-step batch as soon as the last is answered (no backoff on 503); answers are read to the end but not parsed (64 × ~23 MB would measure this process), only checked to end in `}`. "over 15 s" counts every request answered after more than 15 s, whatever the status; "no answer" is a transport error or a client that gave up waiting.',
    '',
    'Targets (issue 21): probe p99 with 1 and with 4 builders ≤ 2× alone and no probe shed; a builder alone ≥ 90 % of the steps/s before the fix, also beside the probe; under overload, 503s within 50 ms at p99 and served p99 ≤ 3× a batch alone; normal calls served as usual beside 20 and 200 slow uploads.',
    '',
    ...embedders.flatMap((e) =>
      embedderSection(
        e,
        sorted.filter((r) => r.embedder === e),
      ),
    ),
    '## Runs',
    '',
    '| label | embedder (model) | server settings (`--env`) | store at start: products / intentions | D s | date | host | load average at start (1/5/15 min) | command |',
    '| --- | --- | --- | --- | ---: | --- | --- | --- | --- |',
    ...sorted.map(
      (r) =>
        `| ${r.label} | ${r.embedder}${r.model ? ` (\`${r.model}\`)` : ''} | ${envCell(r.env)} | ${n(r.catalog.storeAtStart.products)} / ${n(r.catalog.storeAtStart.intentions)} | ${r.durationS} | ${runMetaCells(r.meta)} |`,
    ),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
