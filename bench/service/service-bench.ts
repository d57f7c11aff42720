/**
 * Service benchmark: end-to-end ingest rate through the CLI, then /align requests/s and latency
 * over real HTTP (server in its own process, load generator in this one), next to a bare fastify
 * hello-world measured the same way in the same run. Offline lexical embedder throughout.
 *
 *   npm run bench -- --only service [--copies 30] [--duration 10] [--connections 32]   (part of the default run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { readSample, writeScaledCatalog } from '../lib/scaled-catalog.js';
import { mulberry32 } from '../../support/synthetic.js';
import { runRecallCheck, type RecallRow } from '../store/recall-check.js';
import { runCli, startNodeProcess, startServerProcess, type ServerProcess } from '../../support/server-process.js';

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  requests: number;
}

export interface ServiceBenchResult {
  catalog: { products: number; intentions: number };
  ingest: { intentionsPerSecond: number; productsPerSecond: number; seconds: number; target: number };
  recall: RecallRow[];
  load: { connections: number; durationSeconds: number; results: LoadResult[] };
  ratios: { align1VsHello: number; align5VsHello: number; target: number };
}

/** The baseline: a bare fastify hello-world, started and measured the same way as the service. */
const HELLO_SERVER = fileURLToPath(new URL('./hello-server.ts', import.meta.url));

export async function runServiceBench(opts: {
  copies: number;
  durationSeconds: number;
  connections: number;
  log?: (line: string) => void;
}): Promise<ServiceBenchResult> {
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-bench-'));
  const servers: ServerProcess[] = [];
  try {
    // 1. A scaled catalog, ingested end to end through the CLI (parse, validate, embed, store, index).
    const catalogFile = join(dir, 'catalog.jsonl');
    const { products, intentions } = await writeScaledCatalog(catalogFile, opts.copies);
    log(`ingesting ${products} products / ${intentions} intentions`);
    const env = { EMBEDDER: 'lexical', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' };
    const summary = JSON.parse(runCli(['ingest', catalogFile], env).trim().split('\n').at(-1)!);
    log(`ingest: ${Math.round(summary.intentionsPerSecond)} intentions/s`);
    const recall = await runRecallCheck(join(dir, 'data', 'embedded'), join(dir, 'recall'), [64, 128, 256]);
    for (const r of recall)
      log(
        `recall ef=${r.efSearch}: ${r.recallAt10.toFixed(4)} (tie-aware ${r.tieAwareRecallAt10.toFixed(4)}), ${Math.round(r.searchMicrosPerStep)} µs/step`,
      );

    // 2. Servers: the service on the ingested store, and the hello-world baseline.
    const service = await startServerProcess(env);
    servers.push(service);
    const hello = await startNodeProcess(HELLO_SERVER, {
      args: () => [],
      env: (port) => ({ PORT: String(port) }),
      ready: async (url) => (await fetch(`${url}/hello`, { method: 'POST' })).status < 500,
    });
    servers.push(hello);

    const steps = readSample<{ steps: string[] }>('scripts.jsonl').flatMap((s) => s.steps);
    const random = mulberry32(7);
    const pick = () => steps[Math.floor(random() * steps.length)];
    const bodies = (n: number) => Array.from({ length: 200 }, () => JSON.stringify({ steps: Array.from({ length: n }, pick), k: 5 }));

    const results: LoadResult[] = [];
    const run = async (name: string, url: string, path: string, payloads: string[]) => {
      await load(url, path, payloads, 2, opts.connections); // warm-up
      const r = await load(url, path, payloads, opts.durationSeconds, opts.connections);
      const result = { name, ...r };
      log(
        `${name}: ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${r.errors}, non-2xx ${r.non2xx}`,
      );
      results.push(result);
      return result;
    };
    const helloLoad = await run('fastify hello-world', hello.url, '/hello', ['{}']);
    const align1 = await run('/align 1 step', service.url, '/align', bodies(1));
    const align5 = await run('/align 5 steps', service.url, '/align', bodies(5));
    return {
      catalog: { products, intentions },
      ingest: {
        intentionsPerSecond: summary.intentionsPerSecond,
        productsPerSecond: summary.products / summary.seconds,
        seconds: summary.seconds,
        target: 5000,
      },
      recall,
      load: { connections: opts.connections, durationSeconds: opts.durationSeconds, results },
      ratios: {
        align1VsHello: align1.requestsPerSecond / helloLoad.requestsPerSecond,
        align5VsHello: align5.requestsPerSecond / helloLoad.requestsPerSecond,
        target: 0.1,
      },
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function load(base: string, path: string, payloads: string[], duration: number, connections: number) {
  let i = 0;
  const result = await autocannon({
    url: `${base}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration,
    requests: [{ setupRequest: (req) => ({ ...req, body: payloads[i++ % payloads.length] }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}
