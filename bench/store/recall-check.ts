/**
 * Recall of the embedded store on real embedded text (the scaled sample catalog, lexical
 * embedder), against an exact scan of the same vectors: product-level recall@10 for every sample
 * step, at several HNSW search breadths, with the per-step search latency each one costs.
 * "Tie-aware" also counts a returned product whose score equals the 10th true score (within
 * 1e-3): the scaled catalog has near-duplicate products whose order is decided by noise.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';
import type { AnnIndexFactory } from '../../src/store/ann/ann-index.js';
import { defaultAnnIndexFactory } from '../../src/store/ann/default-index.js';
import { exactIndexFactory } from '../../src/store/ann/exact-index.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { readSample } from '../lib/scaled-catalog.js';

export interface RecallRow {
  efSearch: number;
  recallAt10: number;
  tieAwareRecallAt10: number;
  searchMicrosPerStep: number;
}

export async function runRecallCheck(storeDir: string, workDir: string, efs: number[]): Promise<RecallRow[]> {
  const embedder = new LexicalEmbedder();
  const steps = readSample<{ steps: string[] }>('scripts.jsonl').flatMap((s) => s.steps);
  const queries = await embedder.embed(steps);
  const open = (name: string, annFactory: AnnIndexFactory) => {
    const dir = join(workDir, name);
    cpSync(storeDir, dir, { recursive: true });
    rmSync(join(dir, 'index'), { recursive: true, force: true }); // rebuild with this factory
    return EmbeddedStore.open({ dataDir: dir, modelId: embedder.id, dimension: embedder.dimension, annFactory });
  };
  const exact = await open('exact', exactIndexFactory);
  const truth = await exact.search(queries, { k: 10, threshold: -1, match: 'intentions' });
  await exact.close();
  const rows: RecallRow[] = [];
  for (const ef of efs) {
    const store = await open(`ef${ef}`, defaultAnnIndexFactory({ efSearch: ef }));
    const got = await store.search(queries, { k: 10, threshold: -1, match: 'intentions' });
    let found = 0;
    let tieFound = 0;
    let total = 0;
    got.forEach((hits, i) => {
      const want = new Set(truth[i].map((m) => m.productId));
      const kth = truth[i].at(-1)?.score ?? 1;
      total += truth[i].length;
      found += hits.filter((m) => want.has(m.productId)).length;
      tieFound += hits.filter((m) => want.has(m.productId) || m.score >= kth - 1e-3).length;
    });
    // Latency the way a server sees it: one step per call, steps rotating (cold caches between them).
    const started = performance.now();
    const rounds = 3;
    for (let r = 0; r < rounds; r++)
      for (const q of queries) await store.search([q], { k: 5, threshold: embedder.defaultThreshold, match: 'intentions' });
    rows.push({
      efSearch: ef,
      recallAt10: found / total,
      tieAwareRecallAt10: tieFound / total,
      searchMicrosPerStep: ((performance.now() - started) / (rounds * queries.length)) * 1000,
    });
    await store.close();
  }
  return rows;
}
