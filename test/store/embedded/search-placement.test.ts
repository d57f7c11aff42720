import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exactIndexFactory } from '../../../src/store/ann/exact-index.js';
import { chooseSearchPlacement, searchSlotsOf, searchThreadsOf } from '../../../src/store/embedded/search-placement.js';

/** A logger that keeps its warnings. */
function recorder() {
  const warnings: string[] = [];
  return { warnings, logger: { info() {}, warn: (_obj: object, msg: string) => void warnings.push(msg) } };
}

describe('search placement (main thread or search workers, decided once)', () => {
  it('puts the replicas in workers built from the index description when threads are asked for', () => {
    const { logger, warnings } = recorder();
    const placement = chooseSearchPlacement({ threads: 3, ann: { library: 'hnswlib', efSearch: 64 }, stallMs: 900 }, logger);
    assert.deepEqual(placement, { searchWorkers: { threads: 3, ann: { library: 'hnswlib', efSearch: 64 }, stallMs: 900 } });
    assert.equal(searchThreadsOf(placement), 3);
    assert.equal(searchSlotsOf(placement), 3);
    assert.deepEqual(warnings, []);
  });

  it('keeps the replica on the main thread for 0 threads, with the factory the description names', () => {
    const placement = chooseSearchPlacement({ threads: 0, ann: { library: 'hnswlib', efSearch: 64 } }, recorder().logger);
    assert.equal(placement.searchWorkers, undefined);
    assert.match(placement.annFactory?.name ?? '', /^hnswlib-node .*ef=64$/);
    assert.equal(searchThreadsOf(placement), 0);
    assert.equal(searchSlotsOf(placement), 1);
  });

  it('keeps an injected factory on the main thread: it cannot cross into a worker', () => {
    const placement = chooseSearchPlacement({ threads: 2, ann: { library: 'hnswlib' }, annFactory: exactIndexFactory }, recorder().logger);
    assert.deepEqual(placement, { annFactory: exactIndexFactory });
  });

  it('keeps usearch on the main thread, and says so, since it cannot load in a worker', () => {
    const { logger, warnings } = recorder();
    const placement = chooseSearchPlacement({ threads: 2, ann: { library: 'usearch' } }, logger);
    assert.equal(placement.searchWorkers, undefined);
    assert.match(placement.annFactory?.name ?? '', /^usearch /);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /usearch cannot run in search workers/);
  });
});
