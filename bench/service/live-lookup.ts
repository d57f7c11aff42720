/**
 * What a live client gets from the real server with each embedder: POST /align latency for 1-step and
 * 5-step requests, one client and eight at once (closed loop), the share of that time spent embedding
 * (the server's own embedding-batch histogram), and the server's resident memory with the model loaded.
 *
 * The catalog is IntentionQA's (data/intentionqa, 1,710 real products), ingested through the CLI. The embedding
 * cache is off, so every step is embedded (a cold step: the cache would answer a repeated one without the
 * model). Steps come from the generated scripts; the embedders take turns on the same requests.
 *
 * `npm run bench -- --only live [--quick]`; writes bench/results/live-lookup.{json,md}.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { generatedScripts } from '../lib/generated-scripts.js';
import { summarizeLatencies, type LatencySummary } from '../lib/latency-stats.js';
import { benchEnv, freshDataDir, removeDataDir, startLiveServer, stopLiveServer, waitForBacklog } from '../lib/live-server.js';
import { writeResult } from '../harness/results.js';
import { runMeta, runMetaLines, type RunMeta } from '../harness/run-meta.js';
import { runCli } from '../../support/server-process.js';

export interface LiveRow {
  embedder: string;
  model: string;
  steps: number;
  clients: number;
  requests: number;
  latency: LatencySummary;
  /** Server-side embedding time per request (histogram sum delta / requests), ms. */
  embedMsPerRequest: number;
  /** embedMsPerRequest over the mean latency. */
  embedShare: number;
  requestsPerSecond: number;
}

export interface LiveLookup {
  meta: RunMeta;
  products: number;
  rows: LiveRow[];
  memory: { embedder: string; model: string; rssMiB: number; peakRssMiB: number; searchWorkers: number }[];
}

function statusOf(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

async function embedSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^ecomalign_embedding_batch_duration_seconds_sum\{[^}]*\} ([0-9.e+-]+)$/gm)].reduce(
    (s, m) => s + Number(m[1]),
    0,
  );
}

export async function runLiveLookup(o: { requests: number; log: (line: string) => void; command: string }): Promise<LiveLookup> {
  const meta = runMeta(o.command);
  const catalog = 'data/intentionqa/catalog.jsonl';
  const products = readFileSync(catalog, 'utf8').trim().split('\n').length;
  const rows: LiveRow[] = [];
  const memory: LiveLookup['memory'] = [];
  const scripts = [...generatedScripts(o.requests * 8, 23)];
  for (const embedder of ['lexical', 'minilm']) {
    const dir = freshDataDir(`live-${embedder}`);
    try {
      const env = benchEnv(join(dir, 'data'), { EMBEDDER: embedder, EMBEDDING_CACHE: 'false' });
      runCli(['ingest', catalog], env);
      const server = await startLiveServer(env);
      try {
        await waitForBacklog(server.url);
        const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { model: string };
        let cursor = 0;
        for (const steps of [1, 5]) {
          for (const clients of [1, 8]) {
            const samples: number[] = [];
            const embedBefore = await embedSeconds(server.url);
            const started = performance.now();
            let sent = 0;
            const client = async () => {
              while (sent < o.requests) {
                sent++;
                const script = scripts[cursor++ % scripts.length];
                const body = JSON.stringify({
                  steps: Array.from({ length: steps }, (_, i) => script.steps[i % script.steps.length]),
                  k: 5,
                });
                const t = performance.now();
                const res = await fetch(`${server.url}/align`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
                await res.arrayBuffer();
                if (res.status !== 200) throw new Error(`/align answered ${res.status}`);
                samples.push(performance.now() - t);
              }
            };
            await Promise.all(Array.from({ length: clients }, client));
            const wall = (performance.now() - started) / 1000;
            const embedMs = ((await embedSeconds(server.url)) - embedBefore) * 1000;
            const latency = summarizeLatencies(samples);
            const meanMs = samples.reduce((a, b) => a + b, 0) / samples.length;
            const embedMsPerRequest = embedMs / samples.length;
            rows.push({
              embedder,
              model: ready.model,
              steps,
              clients,
              requests: samples.length,
              latency,
              embedMsPerRequest: Math.round(embedMsPerRequest * 100) / 100,
              embedShare: Math.round((embedMsPerRequest / meanMs) * 100) / 100,
              requestsPerSecond: Math.round((samples.length / wall) * 10) / 10,
            });
            o.log(
              `live ${embedder} ${steps} step(s) ${clients} client(s): p50 ${latency.p50} p99 ${latency.p99} ms, embed ${embedMsPerRequest.toFixed(1)} ms/req`,
            );
          }
        }
        const mem = statusOf(server.pid);
        const workers = Number(env.SEARCH_THREADS ?? Math.max(1, availableParallelism() - 1));
        memory.push({ embedder, model: ready.model, rssMiB: Math.round(mem.rss), peakRssMiB: Math.round(mem.hwm), searchWorkers: workers });
      } finally {
        await stopLiveServer(server);
      }
    } finally {
      removeDataDir(dir);
    }
  }
  return { meta, products, rows, memory };
}

export function writeLiveLookupReport(r: LiveLookup): string[] {
  const md = [
    '# Live lookup through the real server, by embedder',
    '',
    runMetaLines(r.meta),
    `- catalog: IntentionQA, ${r.products.toLocaleString('en')} products, ingested with the CLI; embedding cache off (every step embedded); k = 5; closed loop, each client sends its next request when the last is answered; the load generator shares the 2 cores with the server`,
    "- embed ms / request: the server's embedding-batch histogram (model time only) over the requests; share: that over the mean latency",
    '',
    '| embedder (model) | steps | clients | requests | p50 ms | p99 ms | requests/s | embed ms / request | embed share | model busy |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.rows.map(
      (x) =>
        `| ${x.embedder} (\`${x.model}\`) | ${x.steps} | ${x.clients} | ${x.requests} | ${x.latency.p50} | ${x.latency.p99} | ${x.requestsPerSecond} | ${x.embedMsPerRequest} | ${(x.embedShare * 100).toFixed(0)} % | ${((x.embedMsPerRequest * x.requestsPerSecond) / 10).toFixed(0)} % |`,
    ),
    '',
    '## Resident memory of the server process after the runs',
    '',
    'The model runs on a worker thread of the server process and the search workers are threads too, so every figure is the whole process.',
    '',
    '| embedder (model) | RSS MiB | peak RSS MiB | search worker threads |',
    '| --- | ---: | ---: | ---: |',
    ...r.memory.map((m) => `| ${m.embedder} (\`${m.model}\`) | ${m.rssMiB} | ${m.peakRssMiB} | ${m.searchWorkers} |`),
    '',
  ].join('\n');
  return writeResult('live-lookup', r, md);
}
