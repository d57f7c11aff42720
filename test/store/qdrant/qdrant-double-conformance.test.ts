import { after, before } from 'node:test';
import { runStoreConformance } from '../conformance/store-conformance.js';
import { FakeQdrant } from './fake-qdrant.js';
import { qdrantStores } from './qdrant-fixture.js';

/**
 * The store conformance suite against the in-process TEST DOUBLE of Qdrant (fake-qdrant.ts): the
 * adapter's requests and result handling end to end through the real client, on every test run.
 * Agreement with a real Qdrant is what qdrant-conformance.test.ts checks when QDRANT_URL is set.
 */
let fake: FakeQdrant;
before(async () => {
  fake = await FakeQdrant.start();
});
after(async () => {
  await fake.down();
});

runStoreConformance(
  'QdrantStore on the in-process test double',
  qdrantStores(() => fake.url),
);
