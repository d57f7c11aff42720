/**
 * What each scoring (issue 14) costs a live client, end to end through the real server: POST
 * /align latency for max (the baseline), mean, topm, lexical and hybrid, one client and eight at
 * once. The modes take turns request by request, so the machine's noise falls on all of them
 * alike, and each is reported as a ratio to max from the same run.
 * `npm run bench -- --only scoring-latency [--quick]`; writes bench/results/scoring-latency.{json,md}.
 */
import { join } from 'node:path';
import { generatedScripts } from '../lib/generated-scripts.js';
import { summarizeLatencies, type LatencySummary } from '../lib/latency-stats.js';
import { benchEnv, freshDataDir, removeDataDir, startLiveServer, stopLiveServer, storeCounts, waitForBacklog } from '../lib/live-server.js';
import { writeResult } from '../harness/results.js';
import { runMeta, runMetaLines, type RunMeta } from '../harness/run-meta.js';
import { writeScaledCatalog } from '../lib/scaled-catalog.js';
import { runCli } from '../../support/server-process.js';

const MODES: Record<string, object> = {
  max: {},
  mean: { aggregate: 'mean' },
  topm: { aggregate: 'topm' },
  lexical: { retrieval: 'lexical' },
  'hybrid weighted': { retrieval: 'hybrid' },
  'hybrid rrf': { retrieval: 'hybrid', fusion: 'rrf' },
};

export interface ScoringLatencyRow {
  mode: string;
  clients: number;
  latency: LatencySummary;
  /** p50 and p99 over max's, same run, same clients. */
  p50Ratio: number;
  p99Ratio: number;
  meanProductsPerStep: number;
}

export interface ScoringLatency {
  meta: RunMeta;
  products: number;
  intentions: number;
  stepsPerRequest: number;
  rows: ScoringLatencyRow[];
}

export async function runScoringLatency(o: { copies: number; requests: number; log: (line: string) => void; command: string }) {
  const meta = runMeta(o.command);
  const dir = freshDataDir('scoring-latency');
  try {
    const catalog = join(dir, 'catalog.jsonl');
    const { products, intentions } = await writeScaledCatalog(catalog, o.copies);
    o.log(`scoring-latency: ingesting ${products} products, ${intentions} intentions`);
    const env = benchEnv(join(dir, 'data'));
    runCli(['ingest', catalog], env);
    const server = await startLiveServer(env);
    try {
      await waitForBacklog(server.url);
      o.log(`scoring-latency: store ${JSON.stringify(await storeCounts(server.url))}`);
      const scripts = [...generatedScripts(o.requests, 11)];
      const rows: ScoringLatencyRow[] = [];
      for (const clients of [1, 8]) {
        const samples = new Map<string, number[]>(Object.keys(MODES).map((m) => [m, []]));
        const found = new Map<string, number[]>(Object.keys(MODES).map((m) => [m, []]));
        let next = 0;
        const client = async () => {
          for (;;) {
            const i = next++;
            if (i >= scripts.length * Object.keys(MODES).length) return;
            // Request i: script i / modes, mode i % modes — every mode sees every script, in turn.
            const mode = Object.keys(MODES)[i % Object.keys(MODES).length];
            const script = scripts[Math.floor(i / Object.keys(MODES).length)];
            const started = performance.now();
            const res = await fetch(`${server.url}/align`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ steps: script.steps, k: 5, ...MODES[mode] }),
            });
            const body = (await res.json()) as { steps?: { products: unknown[] }[] };
            if (res.status !== 200) throw new Error(`${mode}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
            samples.get(mode)!.push(performance.now() - started);
            found.get(mode)!.push(...body.steps!.map((s) => s.products.length));
          }
        };
        await Promise.all(Array.from({ length: clients }, client));
        const base = summarizeLatencies(samples.get('max')!);
        for (const mode of Object.keys(MODES)) {
          const latency = summarizeLatencies(samples.get(mode)!);
          const perStep = found.get(mode)!;
          rows.push({
            mode,
            clients,
            latency,
            p50Ratio: round(latency.p50 / base.p50),
            p99Ratio: round(latency.p99 / base.p99),
            meanProductsPerStep: round(perStep.reduce((a, b) => a + b, 0) / perStep.length),
          });
        }
        o.log(`scoring-latency: ${clients} client(s) done`);
      }
      const stepsPerRequest = round(scripts.reduce((n, s) => n + s.steps.length, 0) / scripts.length);
      return { meta, products, intentions, stepsPerRequest, rows } satisfies ScoringLatency;
    } finally {
      await stopLiveServer(server);
    }
  } finally {
    removeDataDir(dir);
  }
}

export function writeScoringLatencyReport(r: ScoringLatency): string[] {
  const table = (clients: number) =>
    [
      '| scoring | p50 ms | p99 ms | p50 / max | p99 / max | products per step |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...r.rows
        .filter((row) => row.clients === clients)
        .map(
          (row) =>
            `| ${row.mode} | ${row.latency.p50} | ${row.latency.p99} | ${row.p50Ratio} | ${row.p99Ratio} | ${row.meanProductsPerStep} |`,
        ),
    ].join('\n');
  const md = `# POST /align latency per scoring, through the real server

${runMetaLines(r.meta)}

The sample catalog scaled to ${r.products.toLocaleString('en')} products and ${r.intentions.toLocaleString('en')} intentions, lexical
embedder, default settings (search workers, default thresholds of each scoring), k = 5, ${r.stepsPerRequest} steps per request
(generated scripts). The modes take turns request by request; ratios are against max in the same run. The load generator
shares the machine's two cores with the server.

One client:

${table(1)}

Eight clients at once:

${table(8)}
`;
  return writeResult('scoring-latency', r, md);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
