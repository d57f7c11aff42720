/**
 * A real embedded store (SQLite + FTS5 + the default HNSW library, as src/services.ts wires it) in
 * a temporary directory, filled through CatalogService as the service ingests, with an Aligner on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aligner } from '../../src/align/aligner.js';
import { CatalogService } from '../../src/catalog/catalog-service.js';
import type { Embedder } from '../../src/core/embedder.js';
import type { Product } from '../../src/core/product.js';
import { defaultAnnIndexFactory } from '../../src/store/ann/default-index.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';

export interface BenchStore {
  store: EmbeddedStore;
  aligner: Aligner;
  close(): Promise<void>;
}

export async function openBenchStore(embedder: Embedder, products: readonly Product[]): Promise<BenchStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-quality-'));
  const store = await EmbeddedStore.open({
    dataDir: dir,
    modelId: embedder.id,
    dimension: embedder.dimension,
    annFactory: defaultAnnIndexFactory(),
    checkIntervalS: 0,
    snapshotIntervalS: 0,
  });
  const catalog = new CatalogService(embedder, store);
  for (let i = 0; i < products.length; i += 500) await catalog.upsert(products.slice(i, i + 500));
  // Steady state: every text in the HNSW index, none left in the exact tail.
  await store.flushIndex();
  return {
    store,
    aligner: new Aligner(embedder, store),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
