/**
 * Issue 11's write side: how close each ingest path comes to what the ANN index alone can take.
 * For one generated catalog (10 intentions per product), in one run: (a) the ANN library's add
 * rate for the same vectors, the ceiling; (b) `ecomalign ingest` into a fresh store; (c) serial
 * 200-product batches to POST /products on a fresh server. (b) and (c) include embedding (lexical,
 * no embedding cache) as users see it; the store's own pace without it is estimated by taking off
 * the embedding time measured in (a). `npm run bench -- --only ingest [--quick] [--env K=V]... [--label NAME]`;
 * rows go to bench/results/ingest-rate.{json,md}, replacing the row of the same label and catalog size.
 */
import { join } from 'node:path';
import type { Product } from '../../src/core/product.js';
import type { AnnLibrary } from '../../src/store/ann/default-index.js';
import { measureAnnCeiling } from './ann-ceiling.js';
import { renderIngestRate } from './ingest-rate-report.js';
import { intentionProducts, writeProductsJsonl } from '../lib/intention-products.js';
import { ratioOf } from '../lib/latency-stats.js';
import {
  benchEnv,
  freshDataDir,
  removeDataDir,
  startLiveServer,
  stopLiveServer,
  storeCounts,
  waitForBacklog,
  writeHeaders,
  type StoreCounts,
} from '../lib/live-server.js';
import { writeRows } from '../harness/result-rows.js';
import { runMeta } from '../harness/run-meta.js';
import { runSerialWriter } from './serial-writer.js';
import type { Variant } from '../harness/variant-args.js';
import { runCli } from '../../support/server-process.js';
import type { IngestRateOptions, IngestRateRow, PathRate } from './ingest-rate-types.js';

export const ingestRateOptions = (quick: boolean, variant: Variant, log: (line: string) => void): IngestRateOptions => ({
  products: quick ? 600 : 3_000,
  batchSize: 200,
  variant,
  log,
});

export async function runIngestRate(o: IngestRateOptions, command: string): Promise<IngestRateRow> {
  const meta = runMeta(command);
  const catalog = [...intentionProducts({ count: o.products, idPrefix: 'ingest' })];
  const intentions = catalog.reduce((n, p) => n + p.intentions.length, 0);
  // The env may choose another library or insert breadth; the ceiling uses the same ones as the store.
  const library = o.variant.env.ANN_INDEX as AnnLibrary | undefined;
  const efConstruction = o.variant.env.ANN_EF_CONSTRUCTION ? Number(o.variant.env.ANN_EF_CONSTRUCTION) : 256;
  o.log(`ingest [${o.variant.label}]: (a) ANN add ceiling for ${catalog.length} products / ${intentions} intentions`);
  const ceiling = measureAnnCeiling(catalog, { library, efConstruction });
  const rate = (seconds: number): PathRate => {
    const perS = intentions / seconds;
    const bare = seconds - ceiling.embedSeconds;
    return {
      seconds: Math.round(seconds * 100) / 100,
      intentionsPerS: Math.round(perS),
      ofCeiling: ratioOf(perS, ceiling.ceilingIntentionsPerS),
      withoutEmbeddingPerS: bare > 0 ? Math.round(intentions / bare) : undefined,
    };
  };

  o.log(`ingest [${o.variant.label}]: (b) ecomalign ingest`);
  const cli = await cliIngest(o, catalog, rate);
  o.log(`ingest [${o.variant.label}]: (c) POST /products, ${o.batchSize} per batch`);
  const http = await httpIngest(o, catalog, rate);
  const row: IngestRateRow = { label: o.variant.label, env: o.variant.env, products: catalog.length, intentions, ceiling, cli, http, meta };
  o.log(
    `  ceiling ${ceiling.ceilingIntentionsPerS}/s (raw ${ceiling.rawIntentionsPerS}/s); CLI ${cli.ingest.intentionsPerS}/s (wall less start-up), ${cli.wall.intentionsPerS}/s wall; ` +
      `HTTP ${http.acknowledged.intentionsPerS}/s acknowledged, ${http.indexed.intentionsPerS}/s indexed`,
  );
  return row;
}

async function cliIngest(o: IngestRateOptions, catalog: Product[], rate: (s: number) => PathRate): Promise<IngestRateRow['cli']> {
  const dataDir = freshDataDir('ingest-cli');
  try {
    const file = join(dataDir, 'catalog.jsonl');
    await writeProductsJsonl(file, catalog);
    const env = benchEnv(join(dataDir, 'store'), { EMBEDDING_CACHE: 'false', ...o.variant.env });
    // Start-up measured apart so a small quick catalog is not judged by tsx's compile time.
    let started = performance.now();
    runCli(['--version'], env);
    const startupSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const stdout = runCli(['ingest', file], env);
    const wall = (performance.now() - started) / 1000;
    const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number; store?: StoreCounts };
    return {
      wall: rate(wall),
      startupSeconds: Math.round(startupSeconds * 100) / 100,
      ingest: rate(wall - startupSeconds),
      inProcess: rate(summary.seconds),
      store: summary.store ?? {},
    };
  } finally {
    removeDataDir(dataDir);
  }
}

async function httpIngest(o: IngestRateOptions, catalog: Product[], rate: (s: number) => PathRate): Promise<IngestRateRow['http']> {
  const dataDir = freshDataDir('ingest-http');
  try {
    const server = await startLiveServer(benchEnv(dataDir, { EMBEDDING_CACHE: 'false', ...o.variant.env }));
    try {
      let next = 0;
      const started = performance.now();
      const tally = await runSerialWriter({
        url: server.url,
        headers: writeHeaders,
        nextBatch: () => (next < catalog.length ? catalog.slice(next, (next += o.batchSize)) : undefined),
      });
      const acknowledged = (performance.now() - started) / 1000;
      await waitForBacklog(server.url);
      const indexed = (performance.now() - started) / 1000;
      return {
        acknowledged: rate(acknowledged),
        indexed: rate(indexed),
        requests: tally.requests,
        shed: tally.shed,
        store: await storeCounts(server.url),
      };
    } finally {
      await stopLiveServer(server);
    }
  } finally {
    removeDataDir(dataDir);
  }
}

export function writeIngestRateReport(row: IngestRateRow): string[] {
  return writeRows('ingest-rate', [row], (r) => `${r.label}|${r.products}`, renderIngestRate);
}
