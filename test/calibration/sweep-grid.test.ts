import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scoring } from '../../src/align/scoring/scoring.js';
import { DEFAULT_GRID, FULL_GRID, sameScoring, sweepGrid } from '../../src/calibration/sweep-grid.js';

describe('the threshold grid a calibration sweeps', () => {
  it('is 0.20–0.80 for the default scoring, whatever order its fields were written in', () => {
    assert.equal(DEFAULT_GRID[0], 0.2);
    assert.equal(DEFAULT_GRID.at(-1), 0.8);
    assert.equal(sweepGrid([{ aggregate: 'max', retrieval: 'semantic' }]), DEFAULT_GRID);
    // Same scoring, keys the other way round: a JSON comparison took it for another one.
    const reordered: Scoring = { retrieval: 'semantic', aggregate: 'max' };
    assert.equal(sweepGrid([reordered]), DEFAULT_GRID);
    assert.ok(sameScoring(reordered, { aggregate: 'max', retrieval: 'semantic' }));
  });

  it('is 0.00–1.00 for any other scoring, and for several swept side by side', () => {
    assert.equal(FULL_GRID[0], 0);
    assert.equal(FULL_GRID.at(-1), 1);
    assert.equal(FULL_GRID.length, 101);
    for (const other of [
      { aggregate: 'mean', retrieval: 'semantic' },
      { aggregate: 'topm', m: 3, retrieval: 'semantic' },
      { aggregate: 'max', retrieval: 'lexical' },
      { aggregate: 'max', retrieval: 'hybrid', fusion: 'weighted', alpha: 0.5 },
    ] satisfies Scoring[])
      assert.equal(sweepGrid([other]), FULL_GRID, JSON.stringify(other));
    assert.equal(
      sweepGrid([
        { aggregate: 'max', retrieval: 'semantic' },
        { aggregate: 'mean', retrieval: 'semantic' },
      ]),
      FULL_GRID,
    );
  });

  it('tells scorings apart by every field', () => {
    const base: Scoring = { aggregate: 'topm', m: 3, retrieval: 'hybrid', fusion: 'weighted', alpha: 0.5 };
    assert.ok(sameScoring(base, { ...base }));
    for (const change of [
      { aggregate: 'mean' },
      { m: 4 },
      { retrieval: 'semantic' },
      { fusion: 'rrf' },
      { alpha: 0.4 },
    ] as Partial<Scoring>[])
      assert.ok(!sameScoring(base, { ...base, ...change }), JSON.stringify(change));
  });
});
