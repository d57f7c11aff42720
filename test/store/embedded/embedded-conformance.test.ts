import { rmSync } from 'node:fs';
import { exactIndexFactory } from '../../../src/store/ann/exact-index.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { runStoreConformance, type StoreModel } from '../conformance/store-conformance.js';
import { tempDir } from './store-fixture.js';

// The exact index makes the embedded store's answers exactly the brute-force ones the suite expects.
const open = (dir: string, model: StoreModel) =>
  EmbeddedStore.open({ dataDir: dir, modelId: model.modelId, dimension: model.dimension, annFactory: exactIndexFactory });

runStoreConformance('EmbeddedStore (exact index)', async (model) => {
  const { dir } = tempDir('ecomalign-conformance-');
  return {
    store: await open(dir, model),
    reopen: (other) => open(dir, other ?? model),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

// The same suite through two search workers (the production layout): writes cross a thread
// boundary before any search, and category filters are applied inside the workers
// (exactScanLimit 0 sends them there instead of to the exact SQLite scan). The workers hold the
// exact index, so any difference from brute force is the threading's fault, not HNSW's recall.
const openWithWorkers = (dir: string, model: StoreModel) =>
  EmbeddedStore.open({
    dataDir: dir,
    modelId: model.modelId,
    dimension: model.dimension,
    annFactory: exactIndexFactory,
    searchThreads: 2,
    annSpec: { library: 'exact' },
    exactScanLimit: 0,
  });

runStoreConformance('EmbeddedStore (two search workers, exact index)', async (model) => {
  const { dir } = tempDir('ecomalign-conformance-workers-');
  return {
    store: await openWithWorkers(dir, model),
    reopen: (other) => openWithWorkers(dir, other ?? model),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
