/**
 * Service benchmark: end-to-end ingest rate through the CLI, then /align requests/s and latency
 * over real HTTP (server in its own process, load generator in this one), next to a bare fastify
 * hello-world measured the same way in the same run. Offline lexical embedder throughout.
 *
 *   npm run bench -- --only service [--copies 30] [--duration 10] [--connections 32]   (part of the default run)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { readSample, writeScaledCatalog } from '../lib/scaled-catalog.js';
import { mulberry32 } from '../../support/synthetic.js';
import { runRecallCheck, type RecallRow } from '../store/recall-check.js';

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

const root = fileURLToPath(new URL('../../', import.meta.url));

export async function runServiceBench(opts: {
  copies: number;
  durationSeconds: number;
  connections: number;
  log?: (line: string) => void;
}): Promise<ServiceBenchResult> {
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-bench-'));
  const servers: ChildProcess[] = [];
  try {
    // 1. A scaled catalog, ingested end to end through the CLI (parse, validate, embed, store, index).
    const catalogFile = join(dir, 'catalog.jsonl');
    const { products, intentions } = await writeScaledCatalog(catalogFile, opts.copies);
    log(`ingesting ${products} products / ${intentions} intentions`);
    const env = { ...process.env, EMBEDDER: 'lexical', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' };
    const ingest = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ingest', catalogFile], {
      cwd: root,
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (ingest.status !== 0) throw new Error(`ingest failed: ${ingest.stderr}`);
    const summary = JSON.parse(ingest.stdout.trim().split('\n').at(-1)!);
    log(`ingest: ${Math.round(summary.intentionsPerSecond)} intentions/s`);
    const recall = await runRecallCheck(join(dir, 'data', 'embedded'), join(dir, 'recall'), [64, 128, 256]);
    for (const r of recall)
      log(
        `recall ef=${r.efSearch}: ${r.recallAt10.toFixed(4)} (tie-aware ${r.tieAwareRecallAt10.toFixed(4)}), ${Math.round(r.searchMicrosPerStep)} µs/step`,
      );

    // 2. Servers: the service on the ingested store, and the hello-world baseline.
    const alignPort = 18000 + Math.floor(Math.random() * 1000);
    const helloPort = alignPort + 1000;
    servers.push(
      await startProcess(['--import', 'tsx', 'src/cli/main.ts', 'serve'], { ...env, PORT: String(alignPort) }, alignPort, '/readyz'),
    );
    servers.push(
      await startProcess(['--import', 'tsx', 'bench/service/hello-server.ts'], { ...process.env, PORT: String(helloPort) }, helloPort),
    );

    const steps = readSample<{ steps: string[] }>('scripts.jsonl').flatMap((s) => s.steps);
    const random = mulberry32(7);
    const pick = () => steps[Math.floor(random() * steps.length)];
    const bodies = (n: number) => Array.from({ length: 200 }, () => JSON.stringify({ steps: Array.from({ length: n }, pick), k: 5 }));

    const results: LoadResult[] = [];
    const run = async (name: string, port: number, path: string, payloads: string[]) => {
      await load(port, path, payloads, 2, opts.connections); // warm-up
      const r = await load(port, path, payloads, opts.durationSeconds, opts.connections);
      const result = { name, ...r };
      log(
        `${name}: ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${r.errors}, non-2xx ${r.non2xx}`,
      );
      results.push(result);
      return result;
    };
    const hello = await run('fastify hello-world', helloPort, '/hello', ['{}']);
    const align1 = await run('/align 1 step', alignPort, '/align', bodies(1));
    const align5 = await run('/align 5 steps', alignPort, '/align', bodies(5));
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
        align1VsHello: align1.requestsPerSecond / hello.requestsPerSecond,
        align5VsHello: align5.requestsPerSecond / hello.requestsPerSecond,
        target: 0.1,
      },
    };
  } finally {
    for (const s of servers) s.kill('SIGTERM');
    await Promise.all(servers.map((s) => (s.exitCode === null ? once(s, 'exit') : Promise.resolve())));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startProcess(args: string[], env: NodeJS.ProcessEnv, port: number, readyPath = '/'): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}${readyPath}`, { method: readyPath === '/' ? 'POST' : 'GET' });
      if (res.status < 500) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not become ready on port ${port}`);
}

async function load(port: number, path: string, payloads: string[], duration: number, connections: number) {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
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
