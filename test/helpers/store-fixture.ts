import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Product } from '../../src/core/product.js';
import type { AnnIndexFactory } from '../../src/store/ann/ann-index.js';
import { exactIndexFactory } from '../../src/store/ann/exact-index.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { EmbeddedStoreSettings } from '../../src/store/embedded/store-options.js';
import type { ProductUpsert } from '../../src/core/vector-store.js';
import { rng, unitVector } from './vectors.js';
import { FaultySearchWorkers } from './faulty-search-workers.js';

export const DIM = 16;
export const MODEL = 'test-model@1';

export function tempDir(prefix = 'ecomalign-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openStore(dir: string, annFactory: AnnIndexFactory = exactIndexFactory, modelId = MODEL, dimension = DIM) {
  return EmbeddedStore.open({ dataDir: dir, modelId, dimension, annFactory });
}

/** Products with random vectors; intentions per product vary so crowding happens. */
export function randomProducts(count: number, seed: number, categories = ['a', 'b', 'c']): ProductUpsert[] {
  const random = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const intentions = Array.from({ length: 1 + (i % 7) }, (_, j) => `intention ${j} of product ${i}`);
    const product: Product = { id: `p${i}`, title: `Product ${i}`, category: categories[i % categories.length], intentions };
    return {
      product,
      contentHash: `h${i}-${seed}`,
      texts: [
        { kind: 'title' as const, text: product.title, vector: unitVector(random, DIM) },
        ...intentions.map((text) => ({ kind: 'intention' as const, text, vector: unitVector(random, DIM) })),
      ],
    };
  });
}

/**
 * Runs `test` on a store with two search workers (exact index) in a fresh folder, handing it the
 * workers' fault hooks (crash, hang); closes and removes the store after.
 */
export async function withWorkers(
  prefix: string,
  test: (store: EmbeddedStore, workers: FaultySearchWorkers) => Promise<void>,
  options: { stallMs?: number } & Partial<EmbeddedStoreSettings> = {},
) {
  const { dir, cleanup } = tempDir(prefix);
  const { stallMs, ...settings } = options;
  const workers = new FaultySearchWorkers();
  const store = await EmbeddedStore.open({
    dataDir: dir,
    modelId: MODEL,
    dimension: DIM,
    searchWorkers: { threads: 2, ann: { library: 'exact' }, stallMs, startThread: workers.start },
    ...settings,
  });
  try {
    await test(store, workers);
  } finally {
    await store.close();
    cleanup();
  }
}
