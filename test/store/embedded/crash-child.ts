/**
 * Child process for the crash test: upserts batches forever, printing "ack <last id>" after each
 * acknowledged batch, until the parent kills it with SIGKILL.
 */
import { hnswlibIndexFactory } from '../../../src/store/ann/hnswlib-index.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { DIM, MODEL, randomProducts } from '../../helpers/store-fixture.js';

const dir = process.argv[2];
const start = Number(process.argv[3]);
const store = await EmbeddedStore.open({
  dataDir: dir,
  modelId: MODEL,
  dimension: DIM,
  annFactory: hnswlibIndexFactory(),
  snapshotIntervalS: 1,
});
for (let batch = start; ; batch++) {
  const items = randomProducts(50, batch).map((item, i) => ({ ...item, product: { ...item.product, id: `b${batch}-${i}` } }));
  await store.upsert(items);
  // Exercise snapshot writes racing the kill too.
  if (batch % 3 === 0) await store.snapshotIfChanged();
  process.stdout.write(`ack ${batch}\n`);
}
