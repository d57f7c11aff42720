/**
 * Search throughput of the embedded store with 0, 1 and 2 search threads, at equal recall
 * (`npm run bench -- --only search-threads [--quick]`; issue 11's "search on more than one core").
 *
 * One catalog of clustered 384-d unit vectors (one intention per product) is written once, with
 * its HNSW snapshot; each variant opens the same store, so every replica loads the very same
 * graph and recall is equal by construction (it is measured anyway, against an exact scan).
 * Throughput is closed-loop: `concurrency` searches are kept in flight through the store's own
 * async `search`, which includes the main thread's share (dispatch and answer; a worker reads its
 * matched rows from SQLite and rescores them itself), so the ratio is what a caller of the store
 * gets, not a kernel figure. With 0 threads the one replica is on the main thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAnnIndexFactory } from '../../src/store/ann/default-index.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { ProductUpsert } from '../../src/core/vector-store.js';
import { clusteredDataset, rowOf } from '../../support/synthetic.js';
import { writeResult } from '../harness/results.js';
import { runMetaLines, type RunMeta } from '../harness/run-meta.js';

export interface SearchThreadsOptions {
  count: number;
  queries: number;
  /** Searches per variant (after a warm-up of `queries`). */
  searches: number;
  concurrency: number;
  threads: number[];
  log: (line: string) => void;
}

export interface SearchThreadsRow {
  threads: number;
  label: string;
  queriesPerSecond: number;
  recallAt10: number;
  p50Ms: number;
  p99Ms: number;
}

const DIM = 384;
const K = 10;

export async function runSearchThreads(
  options: SearchThreadsOptions,
): Promise<{ rows: SearchThreadsRow[]; count: number; concurrency: number }> {
  const { log } = options;
  const data = clusteredDataset({ dimension: DIM, seed: 42, count: options.count, queries: options.queries });
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-search-threads-'));
  const annFactory = defaultAnnIndexFactory();
  try {
    log(`building a ${options.count}-vector store`);
    const builder = await EmbeddedStore.open({ dataDir: dir, modelId: 'bench', dimension: DIM, annFactory });
    for (let from = 0; from < options.count; from += 2000) {
      const batch: ProductUpsert[] = [];
      for (let i = from; i < Math.min(options.count, from + 2000); i++) {
        const id = `p${i}`;
        batch.push({
          product: { id, title: id, intentions: [id] },
          contentHash: id,
          texts: [{ kind: 'intention', text: id, vector: rowOf(data.base, DIM, i) }],
        });
      }
      await builder.upsert(batch);
    }
    await builder.flushIndex();
    await builder.close(); // writes the snapshot every variant loads

    log('exact top-10 per query (the recall oracle)');
    const truth = exactTopK(data.base, data.queries, options.count, options.queries);

    const rows: SearchThreadsRow[] = [];
    for (const threads of options.threads) {
      const store = await EmbeddedStore.open({
        dataDir: dir,
        modelId: 'bench',
        dimension: DIM,
        ...(threads > 0 ? { searchWorkers: { threads, ann: { library: 'hnswlib' as const } } } : { annFactory }),
        checkIntervalS: 0,
        probesPerCheck: 0,
      });
      try {
        const query = (i: number) => rowOf(data.queries, DIM, i % options.queries);
        const search = (i: number) => store.search([query(i)], { k: K, threshold: -1, match: 'intentions' });
        let hits = 0;
        for (let i = 0; i < options.queries; i++) {
          const [found] = await search(i);
          const want = truth[i];
          hits += found.filter((m) => want.has(Number(m.productId.slice(1)))).length;
        }
        const latencies: number[] = [];
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: options.concurrency }, async () => {
            while (next < options.searches) {
              const i = next++;
              const t0 = performance.now();
              await search(i);
              latencies.push(performance.now() - t0);
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        const row: SearchThreadsRow = {
          threads,
          label: threads === 0 ? 'main thread (no worker)' : `${threads} search worker${threads > 1 ? 's' : ''}`,
          queriesPerSecond: options.searches / seconds,
          recallAt10: hits / (options.queries * K),
          p50Ms: latencies[Math.floor(latencies.length * 0.5)],
          p99Ms: latencies[Math.floor(latencies.length * 0.99)],
        };
        rows.push(row);
        log(
          `${row.label}: ${row.queriesPerSecond.toFixed(0)} q/s, recall@10 ${row.recallAt10.toFixed(3)}, p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms`,
        );
      } finally {
        await store.close();
      }
    }
    return { rows, count: options.count, concurrency: options.concurrency };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function exactTopK(base: Float32Array, queries: Float32Array, count: number, queryCount: number): Set<number>[] {
  const out: Set<number>[] = [];
  for (let q = 0; q < queryCount; q++) {
    const query = rowOf(queries, DIM, q);
    const best: { i: number; s: number }[] = [];
    for (let i = 0; i < count; i++) {
      let s = 0;
      const off = i * DIM;
      for (let d = 0; d < DIM; d++) s += base[off + d] * query[d];
      if (best.length < K || s > best[best.length - 1].s) {
        best.push({ i, s });
        best.sort((a, b) => b.s - a.s);
        if (best.length > K) best.pop();
      }
    }
    out.push(new Set(best.map((b) => b.i)));
  }
  return out;
}

export function writeSearchThreadsReport(result: Awaited<ReturnType<typeof runSearchThreads>>, meta: RunMeta): string[] {
  const one = result.rows.find((r) => r.threads === 1);
  const lines = [
    '# Search throughput by search threads',
    '',
    runMetaLines(meta),
    '',
    `${result.count.toLocaleString('en')} clustered 384-d vectors, hnswlib M=16 efSearch=128, k=10, ${result.concurrency} searches in flight, through \`EmbeddedStore.search\` (the main thread dispatches; a worker searches, reads its hits from SQLite and rescores them). "main thread" is \`SEARCH_THREADS=0\`: the one replica searches on the calling thread. Every variant loads the same HNSW snapshot; ${cpus().length} cores.`,
    '',
    '| search threads | q/s | vs 1 worker | recall@10 | p50 ms | p99 ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...result.rows.map(
      (r) =>
        `| ${r.label} | ${r.queriesPerSecond.toFixed(0)} | ${one ? (r.queriesPerSecond / one.queriesPerSecond).toFixed(2) + '×' : '–'} | ${r.recallAt10.toFixed(3)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} |`,
    ),
    '',
  ];
  return writeResult('search-threads', { meta, ...result }, lines.join('\n'));
}
