/** Renders bench/load/contention.ts rows as markdown: one row per label and store size, then how each was run. */
import type { ContentionRow } from './contention-types.js';
import type { ProbeStats } from './fixed-rate-probe.js';
import { envCell } from '../harness/variant-args.js';
import { runMetaCells } from '../harness/run-meta.js';

const n = (v: number | undefined) => (v === undefined ? '?' : Math.round(v).toLocaleString('en-US'));
const ms = (p: ProbeStats) => `${p.p50} / ${p.p90} / **${p.p99}** / ${p.max}`;

export function renderContention(rows: ContentionRow[]): string {
  const sorted = [...rows].sort((a, b) => a.size.localeCompare(b.size) || a.label.localeCompare(b.label));
  const first = sorted[0];
  const lines = [
    '# Live lookup while the catalog is written (issue 11)',
    '',
    'Black-box, on the real server (`ecomalign serve` as a child process, `EMBEDDER=lexical`, fresh `DATA_DIR`, loopback). ' +
      `The probe is \`POST /align\` with one step (k 5), open loop at ${first?.ratePerS ?? 20} requests/s: requests leave on schedule whatever the server does and latency counts from the scheduled send, ` +
      '503s and failures included. "Alone": the probe by itself. "With writer": the same probe (fresh step texts) while one client posts ' +
      `${first?.batchSize ?? 200}-product batches (10 intentions each, new ids) to \`POST /products\` back to back, never two in flight (a shed batch is re-sent after 100 ms). ` +
      'The preloaded store was built with `ecomalign ingest` before the server started; the writer adds to it, so "store at end" is larger.',
    '',
    `Target: probe p99 with the writer ≤ 3× its p99 alone, and nothing shed. Generator and server share the machine's cores; "client lag" is the benchmark process's own event-loop delay (p99, alone / with writer), so a high value means the client, not the server, was late; it includes time the client waited for a core.`,
    '',
    '| store | label | intentions at start | probe alone ms p50 / p90 / p99 / max (shed) | probe with writer ms p50 / p90 / p99 / max (shed) | p99 ratio | target met | writer requests (503, failed) | writer products/s | writer intentions/s | writer batch p50 / max ms | intentions at end | client lag p99 ms | D s |',
    '| --- | --- | ---: | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sorted.map(
      (r) =>
        `| ${r.size} | ${r.label} | ${n(r.storeAtStart.intentions)} | ${ms(r.alone)} (${r.alone.shed}) | ${ms(r.withWriter)} (${r.withWriter.shed}) | ${r.p99Ratio === undefined ? 'n/a' : `${r.p99Ratio}×`} | ${r.meetsTarget ? 'yes' : '**no**'} | ${r.writer.requests} (${r.writer.shed}, ${r.writer.failed}) | ${n(r.writer.productsPerS)} | ${n(r.writer.intentionsPerS)} | ${r.writer.batchLatencyMs.p50} / ${r.writer.batchLatencyMs.max} | ${n(r.storeAtEnd.intentions)} | ${r.clientLagP99Ms.alone} / ${r.clientLagP99Ms.withWriter} | ${r.durationS} |`,
    ),
    '',
    '## Runs',
    '',
    '| store | label | server settings (`--env`) | date | host | load average at start (1/5/15 min) | command | preload ingest s |',
    '| --- | --- | --- | --- | --- | --- | --- | ---: |',
    ...sorted.map((r) => `| ${r.size} | ${r.label} | ${envCell(r.env)} | ${runMetaCells(r.meta)} | ${r.preloadSeconds ?? '–'} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
