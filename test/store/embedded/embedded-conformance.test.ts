import { rmSync } from 'node:fs';
import { exactIndexFactory } from '../../../src/store/ann/exact-index.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { SearchPlacement } from '../../../src/store/embedded/search-placement.js';
import type { EmbeddedStoreSettings } from '../../../src/store/embedded/store-options.js';
import { runStoreConformance, type StoreModel } from '../conformance/store-conformance.js';
import { tempDir } from '../../helpers/store-fixture.js';

/** Runs the conformance suite on embedded stores searching where `placement` says, with `extra` settings, each in a fresh temp folder. */
function embeddedConformance(name: string, placement: SearchPlacement, extra: Partial<EmbeddedStoreSettings> = {}): void {
  const open = (dir: string, model: StoreModel) =>
    EmbeddedStore.open({ dataDir: dir, modelId: model.modelId, dimension: model.dimension, ...placement, ...extra });
  runStoreConformance(name, async (model) => {
    const { dir } = tempDir('ecomalign-conformance-');
    return {
      store: await open(dir, model),
      reopen: (other) => open(dir, other ?? model),
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}

// The exact index makes the embedded store's answers exactly the brute-force ones the suite expects.
embeddedConformance('EmbeddedStore (exact index)', { annFactory: exactIndexFactory });

// The same suite through two search workers (the production layout): writes cross a thread
// boundary before any search, and category filters are applied inside the workers
// (exactScanLimit 0 sends them there instead of to the exact SQLite scan). The workers hold the
// exact index, so any difference from brute force is the threading's fault, not HNSW's recall.
embeddedConformance(
  'EmbeddedStore (two search workers, exact index)',
  { searchWorkers: { threads: 2, ann: { library: 'exact' } } },
  { exactScanLimit: 0 },
);
