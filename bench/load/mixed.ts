/**
 * Issue 21, "two users on one service", measured black-box on the real server so the same bench
 * runs before and after the fix: live lookups (a one-step POST /align probe, open loop at 20/s)
 * beside benchmark builders (closed-loop POST /align/batch of 64 scripts × 64 steps, k 20, new
 * steps every request), with and without a serial catalog writer; then 64 builders at once
 * (overload), and slow uploads that stall after 10 bytes of a declared 100 KB body.
 *
 * `npm run bench -- --only mixed [--embedder lexical|minilm] [--quick] [--label NAME] [--env KEY=VALUE]...`;
 * rows go to bench/results/mixed.{json,md}, replacing the row of the same label and embedder.
 */
import { join } from 'node:path';
import { runBuilderPool } from './builder-pool.js';
import type { BuilderLoopOptions } from './builder-loop.js';
import type { BulkBatchShape } from './bulk-batches.js';
import { alignProbe, runFixedRateProbe } from './fixed-rate-probe.js';
import { productBatches } from '../lib/intention-products.js';
import {
  benchEnv,
  freshDataDir,
  removeDataDir,
  startLiveServer,
  stopLiveServer,
  storeCounts,
  waitForBacklog,
  writeHeaders,
} from '../lib/live-server.js';
import { renderMixed } from './mixed-report.js';
import { builderStats, overloadStats, probeStatusStats } from './mixed-stats.js';
import type { MixedRow, ScenarioResult, SlowClientResult, WriterStats } from './mixed-types.js';
import { writeRows } from '../harness/result-rows.js';
import { runMeta } from '../harness/run-meta.js';
import { failedWrites, runSerialWriter } from './serial-writer.js';
import { watchServerStall } from './server-stall.js';
import { openSlowClients, summarizeSlowConnections } from './slow-clients.js';
import type { Variant } from '../harness/variant-args.js';
import { runCli } from '../../support/server-process.js';
import { withClientLag } from './client-lag.js';

export type MixedEmbedder = 'lexical' | 'minilm';

export interface MixedOptions {
  embedder: MixedEmbedder;
  /** Length of each probe/builder/writer scenario. */
  durationS: number;
  overload: { clients: number; durationS: number };
  slow: { counts: number[]; trafficS: number; holdS: number };
  ratePerS: number;
  probeK: number;
  shape: BulkBatchShape;
  writerBatch: number;
  /** Indices into SCENARIOS to run (default all); for trials of one setting. */
  scenarios?: number[];
  /** The slow-upload and overload phases (default on). */
  extras?: boolean;
  variant: Variant;
  log: (line: string) => void;
}

const CATALOG = 'data/intentionqa/catalog.jsonl';

export function mixedOptions(
  quick: boolean,
  embedder: MixedEmbedder,
  variant: Variant,
  log: (line: string) => void,
  durationS?: number,
): MixedOptions {
  return {
    embedder,
    // With MiniLM one 4,096-step batch took 21 s here (2 busy cores, before the fix), so a scenario
    // needs longer to hold a few of them; quick runs only prove the bench works.
    durationS: durationS ?? (quick ? 5 : embedder === 'minilm' ? 60 : 20),
    overload: { clients: 64, durationS: quick ? 5 : 20 },
    slow: { counts: [20, 200], trafficS: quick ? 2 : 5, holdS: quick ? 4 : 15 },
    ratePerS: 20,
    probeK: 5,
    // Threshold -1: every step gets its k products, 81,920 per answer (23 MB), the answer the issue
    // measured ("82K products"). Under the calibrated threshold (0.3, lexical) one answer carried 358
    // products (0.66 MB): the bench would not load the response path the issue is about.
    shape: { scripts: 64, stepsPerScript: 64, k: 20, threshold: -1 },
    writerBatch: 200,
    variant,
    log,
  };
}

interface ScenarioDef {
  name: string;
  probe: boolean;
  builders: number;
  writer: boolean;
}

const SCENARIOS: ScenarioDef[] = [
  { name: 'probe alone', probe: true, builders: 0, writer: false },
  { name: '1 builder alone', probe: false, builders: 1, writer: false },
  { name: 'probe + 1 builder', probe: true, builders: 1, writer: false },
  { name: 'probe + 4 builders', probe: true, builders: 4, writer: false },
  { name: 'probe + 1 builder + writer', probe: true, builders: 1, writer: true },
  { name: 'probe + 4 builders + writer', probe: true, builders: 4, writer: true },
];

const OVERLOAD_TIMEOUT_MS = 120_000;

/** Builders spread over at most this many threads: the client must not need more cores than the server. */
const BUILDER_THREADS = 2;

export async function runMixed(o: MixedOptions, command: string): Promise<MixedRow> {
  const meta = runMeta(command);
  const dataDir = freshDataDir('mixed');
  const env = benchEnv(join(dataDir, 'data'), { EMBEDDER: o.embedder, ...o.variant.env });
  const tag = `[${o.variant.label}, ${o.embedder}]`;
  try {
    o.log(`mixed ${tag}: ingesting ${CATALOG} with the CLI`);
    runCli(['ingest', CATALOG], env);
    const server = await startLiveServer(env);
    try {
      await waitForBacklog(server.url);
      const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { model?: string };
      const storeAtStart = await storeCounts(server.url);
      const run = new Run(o, server.url);
      await run.warmUp();
      const scenarios: ScenarioResult[] = [];
      for (const [i, def] of SCENARIOS.entries()) {
        if (o.scenarios && !o.scenarios.includes(i)) continue;
        o.log(`mixed ${tag}: ${def.name} for ${o.durationS} s`);
        scenarios.push(await run.scenario(def, i));
        o.log(`  ${scenarioLine(scenarios.at(-1)!)}`);
      }
      const slowClients: SlowClientResult[] = [];
      for (const count of o.extras === false ? [] : o.slow.counts) {
        o.log(`mixed ${tag}: ${count} slow uploads, normal /align and POST /products beside them for ${o.slow.trafficS} s`);
        slowClients.push(await run.slowClients(count));
        const r = slowClients.at(-1)!;
        o.log(`  /align ${JSON.stringify(r.align.statuses)} p99 ${r.align.p99} ms; /products ${JSON.stringify(r.products.statuses)}`);
      }
      const overload = o.extras === false ? undefined : await run.overload();
      if (overload) {
        o.log(`mixed ${tag}: overload, ${o.overload.clients} builders without backoff for ${o.overload.durationS} s`);
        o.log(
          `  ${overload.requests} requests: ${overload.served.count} served (p99 ${overload.served.p99} ms), ${overload.shed.count} shed (p99 ${overload.shed.p99} ms), ${overload.over15s} over 15 s`,
        );
      }
      return {
        label: o.variant.label,
        embedder: o.embedder,
        model: ready.model,
        env: o.variant.env,
        catalog: { file: CATALOG, storeAtStart, storeAtEnd: await storeCounts(server.url) },
        batch: o.shape,
        probe: { ratePerS: o.ratePerS, k: o.probeK },
        writerBatch: o.writerBatch,
        durationS: o.durationS,
        scenarios,
        slowClients,
        overload,
        meta,
      };
    } finally {
      await stopLiveServer(server);
    }
  } finally {
    removeDataDir(dataDir);
  }
}

/** The clients of one run against one server; ids and step texts never repeat across its phases. */
class Run {
  /** Product batches with ids that never repeat in this run. */
  private readonly nextProducts = productBatches('mixed-writer');

  constructor(
    private readonly o: MixedOptions,
    private readonly url: string,
  ) {}

  private builderLoop(tagPrefix: string, durationS: number, overload: boolean): BuilderLoopOptions {
    return {
      url: this.url,
      durationMs: durationS * 1000,
      shape: this.o.shape,
      tagPrefix,
      retryOn503: !overload,
      // 64 parsed ~23 MB answers would measure this process; the overload run checks only that each ended.
      check: overload ? 'ends' : 'parse',
      // A builder waits as long as it takes (4 MiniLM builders: minutes a batch before the fix); the
      // overload run gives up after 2 min, so it ends in bounded time (a give-up counts as "no answer").
      timeoutMs: overload ? OVERLOAD_TIMEOUT_MS : 600_000,
    };
  }

  private probe(seed: number, durationS: number) {
    return alignProbe({ url: this.url, seed, durationS, ratePerS: this.o.ratePerS, k: this.o.probeK });
  }

  /** JIT, connections, search threads: one probe burst and one batch, not counted. */
  async warmUp(): Promise<void> {
    await this.probe(100, 2);
    await runBuilderPool(1, 1, this.builderLoop('warm', 0.001, false));
  }

  /**
   * Waits until the index has taken in every written text: a writer scenario leaves HNSW insertion
   * behind it, and the next phase must not be measured against that.
   */
  async quiet(): Promise<void> {
    await waitForBacklog(this.url);
  }

  async scenario(def: ScenarioDef, index: number): Promise<ScenarioResult> {
    const d = this.o.durationS;
    await this.quiet();
    const stall = await watchServerStall(this.url);
    const [[samples, pool, tally], lag] = await withClientLag(() =>
      Promise.all([
        def.probe ? this.probe(index + 1, d) : undefined,
        def.builders ? runBuilderPool(def.builders, BUILDER_THREADS, this.builderLoop(`s${index}`, d, false)) : undefined,
        def.writer
          ? runSerialWriter({
              url: this.url,
              headers: writeHeaders,
              nextBatch: () => this.nextProducts(this.o.writerBatch),
              durationMs: d * 1000,
            })
          : undefined,
      ]),
    );
    let writerStats: WriterStats | undefined;
    if (tally) {
      writerStats = {
        requests: tally.requests,
        shed: tally.shed,
        failed: failedWrites(tally),
        productsPerS: Math.round(tally.acknowledgedProducts / tally.seconds),
        intentionsPerS: Math.round(tally.acknowledgedIntentions / tally.seconds),
      };
    }
    return {
      ...def,
      durationS: d,
      probeStats: samples && probeStatusStats(samples),
      builder: pool && builderStats(pool),
      writerStats,
      serverStallMs: await stall.stop(),
      clientLagP99Ms: lag,
    };
  }

  async slowClients(count: number): Promise<SlowClientResult> {
    const declaredBytes = 100_000;
    const bodyStart = '{"steps":[';
    await this.quiet();
    const slow = await openSlowClients({ url: this.url, count, path: '/align', declaredBytes, bodyStart });
    const opened = performance.now();
    try {
      const productRate = 5;
      const next = () => this.nextProducts(5);
      const productBodies: string[] = [];
      const [align, products] = await Promise.all([
        this.probe(1000 + count, this.o.slow.trafficS),
        runFixedRateProbe({
          url: this.url,
          path: '/products',
          ratePerS: productRate,
          durationS: this.o.slow.trafficS,
          headers: writeHeaders,
          body: (i) => (productBodies[i] ??= JSON.stringify({ products: next() })),
        }),
      ]);
      // Keep watching: a server with a body deadline answers the slow connections on its own.
      const left = this.o.slow.holdS * 1000 - (performance.now() - opened);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      return {
        connections: count,
        path: '/align',
        declaredBytes,
        sentBytes: Buffer.byteLength(bodyStart),
        trafficS: this.o.slow.trafficS,
        holdS: this.o.slow.holdS,
        align: probeStatusStats(align),
        products: probeStatusStats(products),
        slow: summarizeSlowConnections(slow.close()),
      };
    } finally {
      slow.close();
      // Let the server see the closes and give back whatever the connections held before the next phase.
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async overload() {
    const { clients, durationS } = this.o.overload;
    await this.quiet();
    const stall = await watchServerStall(this.url);
    const pool = await runBuilderPool(clients, BUILDER_THREADS, this.builderLoop('overload', durationS, true));
    return overloadStats(pool, { durationS, clientTimeoutS: OVERLOAD_TIMEOUT_MS / 1000, serverStallMs: await stall.stop() });
  }
}

function scenarioLine(s: ScenarioResult): string {
  const parts: string[] = [];
  if (s.probeStats) parts.push(`probe p50 ${s.probeStats.p50} p99 ${s.probeStats.p99} ms, shed ${s.probeStats.shed}`);
  if (s.builder) parts.push(`builders ${s.builder.stepsPerS} steps/s (p99 ${s.builder.latency.p99} ms, 503 ${s.builder.shed})`);
  if (s.writerStats) parts.push(`writer ${s.writerStats.intentionsPerS} intentions/s`);
  parts.push(`server stall ${s.serverStallMs ?? 'n/a'} ms`);
  return parts.join('; ');
}

export function writeMixedReport(row: MixedRow): string[] {
  return writeRows('mixed', [row], (r) => `${r.label}|${r.embedder}`, renderMixed);
}
