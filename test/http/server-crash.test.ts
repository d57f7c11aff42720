import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runCrashRounds } from '../../support/crash-harness.js';
import { tempDir } from '../helpers/store-fixture.js';
import { rng } from '../helpers/vectors.js';

/**
 * The real server (a child process) is SIGKILLed while clients ingest; after each kill the store
 * must open cleanly with every acknowledged product present, the indexes must agree with the
 * catalog, and the restarted server must find acknowledged products by their intentions. Half the
 * kills land while the search worker still has texts to move into HNSW in the background.
 * `npx tsx scripts/crash-soak.ts --kills 50` runs the same rounds many more times.
 */
it('loses no acknowledged write when the server is SIGKILLed mid-ingest', { timeout: 180_000 }, async (t) => {
  const { dir, cleanup } = tempDir('ecomalign-server-crash-');
  try {
    const report = await runCrashRounds({ dataDir: dir, kills: 4, random: rng(7) });
    t.diagnostic(
      `kills survived: ${report.kills} (${report.killsDuringBacklog} while texts waited for the background HNSW move), acknowledged products: ${report.acknowledgedProducts}, lost: ${report.lostProducts.length}`,
    );
    assert.deepEqual(report.failedOpens, [], 'the store must open after every kill');
    assert.equal(report.kills, 4);
    assert.ok(report.killsDuringBacklog >= 1, 'no kill landed while the background move had work: the new path was not exercised');
    assert.ok(report.acknowledgedProducts > 0, 'the writers got nothing acknowledged: the test proved nothing');
    assert.deepEqual(report.lostProducts, [], 'acknowledged products lost');
    assert.deepEqual(report.indexMismatches, [], 'index and catalog disagree after recovery');
    assert.deepEqual(report.unsearchable, [], 'acknowledged products not found through /align');
  } finally {
    cleanup();
  }
});
