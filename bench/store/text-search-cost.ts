/**
 * What the BM25 index (issue 14) costs the embedded store: write time and file size of catalogs
 * with and without the FTS5 index (the same batches, written alternately into the two so machine
 * noise hits both alike), and the time of one BM25 query and of one stored-text read for a
 * candidate pool at that size. `npm run bench -- --only text-search [--quick]`; writes
 * bench/results/text-search-cost.{json,md}.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Product } from '../../src/core/product.js';
import { CatalogDb } from '../../src/store/embedded/catalog/catalog-db.js';
import { TextSearch } from '../../src/store/embedded/index/text-search.js';
import { generatedScripts } from '../lib/generated-scripts.js';
import { intentionProducts } from '../lib/intention-products.js';
import { mulberry32 } from '../../support/synthetic.js';
import { writeResult } from '../harness/results.js';
import { runMeta, runMetaLines, type RunMeta } from '../harness/run-meta.js';

export interface TextSearchCost {
  meta: RunMeta;
  products: number;
  texts: number;
  batch: number;
  writeMsPerBatch: { withBm25: number; without: number; ratio: number };
  fileBytes: { withBm25: number; without: number; ratio: number };
  bm25QueryMs: { p50: number; p95: number; queries: number };
  productTextsMs: { p50: number; p95: number; products: number };
}

const DIM = 384;

export async function runTextSearchCost(o: { products: number; log: (line: string) => void; command: string }): Promise<TextSearchCost> {
  const meta = runMeta(o.command);
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-fts-cost-'));
  try {
    const withBm25 = new CatalogDb(join(dir, 'with.sqlite'));
    const without = new CatalogDb(join(dir, 'without.sqlite'));
    // The layout before issue 14: no FTS table, no triggers.
    without.db.exec('DROP TRIGGER texts_fts_insert; DROP TRIGGER texts_fts_delete; DROP TRIGGER texts_fts_update; DROP TABLE texts_fts;');
    const random = mulberry32(7);
    const batch = 200;
    const times = { withBm25: [] as number[], without: [] as number[] };
    const products = [...intentionProducts({ count: o.products, idPrefix: 'fts' })];
    let texts = 0;
    for (let i = 0; i < products.length; i += batch) {
      const items = products.slice(i, i + batch).map((p) => itemOf(p, random));
      texts += items.reduce((n, it) => n + it.texts.length, 0);
      // Alternate which catalog goes first, so neither always writes into a warmer cache.
      const order = (i / batch) % 2 === 0 ? (['withBm25', 'without'] as const) : (['without', 'withBm25'] as const);
      for (const which of order) {
        const db = which === 'withBm25' ? withBm25 : without;
        const started = performance.now();
        db.writeProducts(items);
        times[which].push(performance.now() - started);
      }
      if ((i / batch) % 25 === 0) o.log(`text-search: wrote ${i + batch} of ${products.length} products`);
    }
    const search = new TextSearch(withBm25.db);
    const steps = [...generatedScripts(200, 3)].flatMap((s) => s.steps).slice(0, 300);
    const queryMs = steps.map((step) => timed(() => search.search(step, ['intention', 'title'], 50)));
    const ids = products.map((p) => p.id);
    const pool = 50;
    const readMs = Array.from({ length: 200 }, (_, r) => {
      const chosen = Array.from({ length: pool }, (_, j) => ids[(r * 7919 + j * 104_729) % ids.length]);
      return timed(() => search.productTexts(chosen, ['intention']));
    });
    withBm25.close();
    without.close();
    for (const name of ['with', 'without']) new Database(join(dir, `${name}.sqlite`)).pragma('wal_checkpoint(TRUNCATE)');
    const size = (name: string) => statSync(join(dir, `${name}.sqlite`)).size;
    const w = median(times.withBm25);
    const wo = median(times.without);
    return {
      meta,
      products: products.length,
      texts,
      batch,
      writeMsPerBatch: { withBm25: round(w), without: round(wo), ratio: round(w / wo) },
      fileBytes: { withBm25: size('with'), without: size('without'), ratio: round(size('with') / size('without')) },
      bm25QueryMs: { p50: round(quantile(queryMs, 0.5)), p95: round(quantile(queryMs, 0.95)), queries: queryMs.length },
      productTextsMs: { p50: round(quantile(readMs, 0.5)), p95: round(quantile(readMs, 0.95)), products: pool },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function writeTextSearchCostReport(r: TextSearchCost): string[] {
  const md = `# What the BM25 index costs the embedded store

${runMetaLines(r.meta)}

${r.products.toLocaleString('en')} products, ${r.texts.toLocaleString('en')} texts (10 intentions and a title each, 384-d vectors), written in
batches of ${r.batch} products straight into the catalog (no embedding, no ANN index: SQLite's share only), alternately
into a catalog with the FTS5 index and one without it.

| | with BM25 | without | ratio |
| --- | ---: | ---: | ---: |
| write, ms per batch (median) | ${r.writeMsPerBatch.withBm25} | ${r.writeMsPerBatch.without} | ${r.writeMsPerBatch.ratio} |
| catalog file, MB | ${mb(r.fileBytes.withBm25)} | ${mb(r.fileBytes.without)} | ${r.fileBytes.ratio} |

One BM25 query (a generated script step, intentions and titles, top 50 products): p50 ${r.bm25QueryMs.p50} ms, p95 ${r.bm25QueryMs.p95} ms
over ${r.bm25QueryMs.queries} steps. Reading the stored intentions and vectors of a ${r.productTextsMs.products}-product candidate pool
(exact re-scoring): p50 ${r.productTextsMs.p50} ms, p95 ${r.productTextsMs.p95} ms. Both run on a search worker's thread in the service.
`;
  return writeResult('text-search-cost', r, md);
}

function itemOf(product: Product, random: () => number) {
  const texts = [product.title, ...product.intentions].map((text, i) => ({
    kind: i === 0 ? ('title' as const) : ('intention' as const),
    text,
    vector: Float32Array.from({ length: DIM }, () => random() - 0.5),
  }));
  return { product, hash: product.id, texts };
}

function timed(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
