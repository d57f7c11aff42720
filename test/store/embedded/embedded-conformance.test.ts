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
