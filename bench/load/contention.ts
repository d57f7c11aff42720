/**
 * Issue 11, "live lookup stays fast while the catalog is being written", measured black-box on the
 * real server: the latency of a light /align probe (one step, open loop at a fixed rate) alone,
 * then while one client writes 200-product batches back to back, on an empty store and on one
 * preloaded with ≥ 40,000 intentions. Target: probe p99 with the writer ≤ 3× its p99 alone, and
 * nothing shed. `npm run bench -- --only contention [--quick] [--env KEY=VALUE]... [--label NAME]`;
 * rows go to bench/results/contention.{json,md}, replacing the rows of the same label and size.
 */

import { join } from 'node:path';
import { renderContention } from './contention-report.js';
import { alignProbe, probeStats } from './fixed-rate-probe.js';
import { intentionProducts, productBatches, writeProductsJsonl } from '../lib/intention-products.js';
import { ratioOf, summarizeLatencies } from '../lib/latency-stats.js';
import { benchEnv, freshDataDir, removeDataDir, startLiveServer, stopLiveServer, storeCounts, writeHeaders } from '../lib/live-server.js';
import { writeRows } from '../harness/result-rows.js';
import { runMeta, type RunMeta } from '../harness/run-meta.js';
import { failedWrites, runSerialWriter } from './serial-writer.js';
import type { Variant } from '../harness/variant-args.js';
import { runCli } from '../../support/server-process.js';
import type { ContentionOptions, ContentionRow } from './contention-types.js';
import { withClientLag } from './client-lag.js';

export const contentionOptions = (quick: boolean, variant: Variant, log: (line: string) => void): ContentionOptions => ({
  durationS: quick ? 5 : 15,
  ratePerS: 20,
  // 4,000 × 10 intentions (+ 4,000 titles) even when quick: the store size is the point, not the run length.
  preloadProducts: 4_000,
  batchSize: 200,
  variant,
  log,
});

const TARGET_RATIO = 3;

export async function runContention(o: ContentionOptions, command: string): Promise<ContentionRow[]> {
  const meta = runMeta(command);
  const rows: ContentionRow[] = [];
  for (const size of ['empty', 'preloaded'] as const) rows.push(await runSize(o, size, meta));
  return rows;
}

async function runSize(o: ContentionOptions, size: 'empty' | 'preloaded', meta: RunMeta): Promise<ContentionRow> {
  const dataDir = freshDataDir('contention');
  const env = benchEnv(dataDir, o.variant.env);
  try {
    let preloadSeconds: number | undefined;
    if (size === 'preloaded') {
      const file = join(dataDir, 'preload.jsonl');
      const counts = await writeProductsJsonl(file, intentionProducts({ count: o.preloadProducts, idPrefix: 'pre' }));
      o.log(`contention: preloading ${counts.products} products / ${counts.intentions} intentions with the CLI`);
      const started = performance.now();
      runCli(['ingest', file], env);
      preloadSeconds = (performance.now() - started) / 1000;
    }
    const server = await startLiveServer(env);
    try {
      const storeAtStart = await storeCounts(server.url);
      const probe = (seed: number, durationS: number) => alignProbe({ url: server.url, seed, durationS, ratePerS: o.ratePerS, k: 5 });
      await probe(3, 2); // warm-up (JIT, connections, search threads), not counted
      o.log(`contention [${o.variant.label}, ${size}]: probe alone for ${o.durationS} s`);
      const [aloneSamples, aloneLag] = await withClientLag(() => probe(1, o.durationS));
      const alone = probeStats(aloneSamples);

      o.log(`contention [${o.variant.label}, ${size}]: probe with a serial writer for ${o.durationS} s`);
      const nextProducts = productBatches('writer');
      const [[samples, tally], writerLag] = await withClientLag(() =>
        Promise.all([
          probe(2, o.durationS),
          runSerialWriter({
            url: server.url,
            headers: writeHeaders,
            nextBatch: () => nextProducts(o.batchSize),
            durationMs: o.durationS * 1000,
          }),
        ]),
      );
      const withWriter = probeStats(samples);
      const storeAtEnd = await storeCounts(server.url);
      const p99Ratio = ratioOf(withWriter.p99, alone.p99);
      const failed = failedWrites(tally);
      const row: ContentionRow = {
        label: o.variant.label,
        size,
        env: o.variant.env,
        durationS: o.durationS,
        ratePerS: o.ratePerS,
        batchSize: o.batchSize,
        storeAtStart,
        storeAtEnd,
        preloadSeconds: preloadSeconds === undefined ? undefined : Math.round(preloadSeconds * 10) / 10,
        alone,
        withWriter,
        writer: {
          requests: tally.requests,
          shed: tally.shed,
          failed,
          products: tally.acknowledgedProducts,
          intentions: tally.acknowledgedIntentions,
          seconds: Math.round(tally.seconds * 100) / 100,
          productsPerS: Math.round(tally.acknowledgedProducts / tally.seconds),
          intentionsPerS: Math.round(tally.acknowledgedIntentions / tally.seconds),
          batchLatencyMs: summarizeLatencies(tally.batchLatenciesMs),
        },
        p99Ratio,
        meetsTarget: p99Ratio !== undefined && p99Ratio <= TARGET_RATIO && alone.shed + withWriter.shed === 0 && withWriter.failed === 0,
        clientLagP99Ms: { alone: aloneLag, withWriter: writerLag },
        meta,
      };
      o.log(
        `  alone p99 ${alone.p99} ms (shed ${alone.shed}); with writer p99 ${withWriter.p99} ms (shed ${withWriter.shed}), ratio ${p99Ratio ?? 'n/a'}; ` +
          `writer ${row.writer.requests} requests, ${row.writer.intentionsPerS} intentions/s, ${row.writer.shed} shed`,
      );
      return row;
    } finally {
      await stopLiveServer(server);
    }
  } finally {
    removeDataDir(dataDir);
  }
}

export function writeContentionReport(rows: ContentionRow[]): string[] {
  return writeRows('contention', rows, (r) => `${r.label}|${r.size}`, renderContention);
}
