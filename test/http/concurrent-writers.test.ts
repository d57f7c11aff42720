import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { runConcurrentWriters } from '../../support/concurrent-writers.js';
import { tempDir } from '../helpers/store-fixture.js';

/**
 * Four clients upsert (1–150 products from a shared pool of 300 ids) and delete at once through
 * the real server, with snapshots and index checks every second. A smaller run than
 * `npx tsx scripts/concurrent-writers.ts --seeds 20`, which the closing note reports; any hung
 * call fails the test after 30 s instead of stalling CI.
 */

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

for (const seed of [101, 102]) {
  it(`seed ${seed}: final states equal the last acknowledged writes, live products are found, deleted ones never returned`, async () => {
    const { dir, cleanup } = tempDir('ecomalign-writers-');
    cleanups.push(cleanup);
    const r = await runConcurrentWriters({ seed, dataDir: dir, writers: 4, requestsPerWriter: 12, poolSize: 300, maxBatch: 150 });
    assert.deepEqual(r.hung, [], 'hung calls');
    assert.deepEqual(r.failed, [], 'failed writes');
    assert.deepEqual(r.mismatched, [], 'final state differs from the acknowledged writes');
    assert.deepEqual(r.unfound, [], 'live products not found by their title');
    assert.deepEqual(r.deletedReturned, [], 'deleted products returned');
    assert.ok(r.acknowledged > 10, `the run acknowledged ${r.acknowledged} upserts`);
  });
}
