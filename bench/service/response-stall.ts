/**
 * Issue 21, requirement 5: the worst event-loop stall while one big `/align/batch` response is
 * sent, serialised in one go (as before) and streamed in chunks (src/http/support/chunked-json.ts).
 *
 * One 4,096-step request (64 scripts × 64 steps from the generated scripts, k = 20, threshold −1 so
 * every step gets its 20: 81,920 products, ~23 MB) against the IntentionQA catalog with the lexical
 * embedder. The app runs in this process so its own event loop is probed; the client is curl (a
 * child process), so no client work shares the loop. The probe (bench/lib/event-loop-stall.ts)
 * runs from the moment the aligner's result is ready until fastify's onResponse: the response
 * phase only, not the alignment. "Serialised" is the route as it was before streaming, registered
 * here beside the real one: the same handler returning the object to the zod serializer. The
 * streamed path's remaining stall (11–35 ms; outliers to 173 ms at load 6 on 2 cores) matched the
 * GC pauses `node --trace-gc` showed while the result was alive (15–17 ms scavenges, 38–91 ms
 * mark-compacts), not a chunk's work (~0.5–1 ms).
 *
 *   npx tsx bench/response-stall.ts [--runs 3]   # ~15 s; writes bench/results/response-stall.{json,md}
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { loadConfig } from '../../src/config.js';
import type { AlignResult } from '../../src/align/aligner.js';
import { buildApp } from '../../src/http/app.js';
import { alignBatchBody, alignBatchResponse } from '../../src/http/schemas/align-schemas.js';
import { STREAM_ABOVE_PRODUCTS } from '../../src/http/support/streamed-batch-response.js';
import { createServices } from '../../src/services.js';
import { startStallProbe, type StallProbe } from '../lib/event-loop-stall.js';
import { generatedScripts } from '../lib/generated-scripts.js';
import { freshDataDir, removeDataDir } from '../lib/live-server.js';
import { writeResult } from '../harness/results.js';
import { runMeta, runMetaLines, type RunMeta } from '../harness/run-meta.js';
import { median } from '../lib/latency-stats.js';

export interface ResponsePhase {
  /** Longest event-loop stall between the result being ready and the last byte handed to the socket. */
  stallMs: number;
  /** Result ready → onResponse. */
  sendMs: number;
  bytes: number;
}

export interface ResponseStallResult {
  meta: RunMeta;
  catalogProducts: number;
  steps: number;
  k: number;
  products: number;
  serialised: ResponsePhase[];
  streamed: ResponsePhase[];
  /** zod encode + JSON.stringify of the whole result in one call, median of the runs: the old stall's floor. */
  serialiseMs: number;
  serialiseUsPerProduct: number;
  /** The probe over an idle stretch as long as a streamed send: the machine's own noise (preemption on shared cores, GC). */
  idleStallMs: number[];
  /** What STREAM_ABOVE_PRODUCTS lets a response hold the loop for, at that rate. */
  cutoff: { products: number; serialiseMs: number };
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERIALISED_URL = '/bench/align-batch-serialised';

export async function runResponseStall(o: { runs: number; log: (line: string) => void; command: string }): Promise<ResponseStallResult> {
  const meta = runMeta(o.command);
  const dir = freshDataDir('response-stall');
  const config = loadConfig({
    EMBEDDER: 'lexical',
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    SNAPSHOT_INTERVAL_S: '0',
    MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  const services = await createServices(config, pino({ level: 'warn' }));
  const app = await buildApp(config, { services });
  try {
    // The response phase: from the aligner's result to fastify's onResponse.
    let probe: StallProbe | undefined;
    let phaseStart = 0;
    let phase: Omit<ResponsePhase, 'bytes'> | undefined;
    let lastResult: AlignResult | undefined;
    const aligner = services.aligner;
    const align = aligner.align.bind(aligner);
    aligner.align = async (...args) => {
      lastResult = await align(...args);
      phaseStart = performance.now();
      probe = startStallProbe();
      return lastResult;
    };
    app.addHook('onResponse', async () => {
      if (!probe) return;
      phase = { stallMs: round(probe.stop()), sendMs: round(performance.now() - phaseStart) };
      probe = undefined;
    });
    registerSerialisedRoute(app);
    const catalog = readFileSync(join(root, 'data/intentionqa/catalog.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (let i = 0; i < catalog.length; i += 1000) {
      const res = await app.inject({ method: 'POST', url: '/products', payload: { products: catalog.slice(i, i + 1000) } });
      if (res.statusCode !== 200) throw new Error(`ingest: ${res.statusCode} ${res.body}`);
    }
    o.log(`ingested ${catalog.length} IntentionQA products`);

    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;

    const steps = [...generatedScripts(2000, 21)].flatMap((s) => s.steps).slice(0, 4096);
    const k = 20;
    const body = {
      scripts: Array.from({ length: 64 }, (_, s) => ({ id: `s${s}`, steps: steps.slice(s * 64, s * 64 + 64) })),
      k,
      threshold: -1,
    };
    const bodyFile = join(dir, 'batch.json');
    writeFileSync(bodyFile, JSON.stringify(body));

    const result: ResponseStallResult = {
      meta,
      catalogProducts: catalog.length,
      steps: steps.length,
      k,
      products: 0,
      serialised: [],
      streamed: [],
      idleStallMs: [],
      serialiseMs: 0,
      serialiseUsPerProduct: 0,
      cutoff: { products: STREAM_ABOVE_PRODUCTS, serialiseMs: 0 },
    };
    for (let run = 0; run < o.runs; run++) {
      for (const [name, path] of [
        ['serialised', SERIALISED_URL],
        ['streamed', '/align/batch'],
      ] as const) {
        phase = undefined;
        const bytes = await curl(`http://127.0.0.1:${port}${path}`, bodyFile);
        // onResponse has run by the time curl has the last byte and exits.
        if (!phase) throw new Error(`${path}: no response phase recorded`);
        const measured: ResponsePhase = { ...(phase as Omit<ResponsePhase, 'bytes'>), bytes };
        result[name].push(measured);
        o.log(`${name} run ${run + 1}: worst stall ${measured.stallMs} ms, sent in ${measured.sendMs} ms, ${bytes} bytes`);
      }
    }

    for (let run = 0; run < o.runs; run++) {
      const idle = startStallProbe();
      await new Promise((resolve) => setTimeout(resolve, median(result.streamed.map((p) => p.sendMs))));
      result.idleStallMs.push(round(idle.stop()));
    }
    o.log(`idle: worst stall ${result.idleStallMs.join(' / ')} ms`);

    // The old path's floor, without the socket: the serializer on the same result, in one call.
    const serialise = serializerCompiler({ schema: alignBatchResponse, method: 'POST', url: '/align/batch' }) as (d: unknown) => string;
    const r = lastResult!;
    const response = {
      model: r.model,
      threshold: r.threshold,
      scoring: r.scoring,
      tookMs: 1,
      results: body.scripts.map((s, i) => ({ id: s.id, steps: r.scripts[i] })),
    };
    result.products = r.scripts.reduce((n, script) => n + script.reduce((m, step) => m + step.products.length, 0), 0);
    const times: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      const t0 = performance.now();
      serialise(response);
      times.push(performance.now() - t0);
    }
    result.serialiseMs = round(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]);
    result.serialiseUsPerProduct = round((result.serialiseMs * 1000) / result.products);
    result.cutoff.serialiseMs = round((result.serialiseUsPerProduct * STREAM_ABOVE_PRODUCTS) / 1000);
    return result;
  } finally {
    await app.close();
    await services.close();
    removeDataDir(dir);
  }
}

/** The route as it was before streaming: the result handed to the zod serializer in one piece. */
function registerSerialisedRoute(app: FastifyInstance): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .post(SERIALISED_URL, { schema: { hide: true, body: alignBatchBody, response: { 200: alignBatchResponse } } }, async (request) => {
      const { scripts, k, threshold, match, filter } = request.body;
      const result = await app.services.get().aligner.align(scripts, { k, threshold, match, filter });
      return {
        model: result.model,
        threshold: result.threshold,
        scoring: result.scoring,
        tookMs: 0,
        results: scripts.map((s, i) => ({ id: s.id, steps: result.scripts[i] })),
      };
    });
}

/** POSTs the file with curl (a child process, so the client's work stays off this event loop); returns the bytes received. */
function curl(url: string, bodyFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code} %{size_download}',
        '-H',
        'content-type: application/json',
        '--data-binary',
        `@${bodyFile}`,
        url,
      ],
      { timeout: 60_000 },
      (err, stdout) => {
        if (err) return reject(new Error(`curl ${url}: ${err.message}`));
        const [status, size] = stdout.trim().split(' ');
        if (status !== '200') return reject(new Error(`${url}: HTTP ${status}`));
        resolve(Number(size));
      },
    );
  });
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

export function renderResponseStall(r: ResponseStallResult): string {
  const row = (name: string, phases: ResponsePhase[]) =>
    `| ${name} | ${phases.map((p) => p.stallMs).join(' / ')} | **${Math.max(...phases.map((p) => p.stallMs))}** | ${median(phases.map((p) => p.sendMs))} | ${(median(phases.map((p) => p.bytes)) / 1e6).toFixed(1)} |`;
  return [
    '# Event-loop stall while one big /align/batch response is sent (issue 21, req. 5)',
    '',
    `${r.steps.toLocaleString('en')} steps (64 scripts × 64), k = ${r.k}, threshold −1: ${r.products.toLocaleString('en')} products; IntentionQA catalog (${r.catalogProducts.toLocaleString('en')} products), lexical embedder; app in process, curl as the client. The stall is the longest the HTTP thread's event loop was blocked between the aligner's result and fastify's onResponse (bench/lib/event-loop-stall.ts).`,
    '',
    '| path | worst stall per run ms | worst ms | send ms (median) | MB |',
    '| --- | --- | ---: | ---: | ---: |',
    row('serialised in one go (before)', r.serialised),
    row('streamed in 64 KiB chunks (after)', r.streamed),
    `| nothing running (the machine's noise floor) | ${r.idleStallMs.join(' / ')} | **${Math.max(...r.idleStallMs)}** | | |`,
    '',
    `zod encode + JSON.stringify of the whole result in one call: ${r.serialiseMs} ms (${r.serialiseUsPerProduct} µs per product); at that rate the streaming cutoff (${r.cutoff.products.toLocaleString('en')} products) holds the loop ~${r.cutoff.serialiseMs} ms.`,
    '',
    runMetaLines(r.meta),
    '',
  ].join('\n');
}

/** Writes bench/results/response-stall.{json,md}; returns both paths. */
export function writeResponseStallReport(r: ResponseStallResult): string[] {
  return writeResult('response-stall', r, renderResponseStall(r));
}
