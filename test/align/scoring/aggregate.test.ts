import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate } from '../../../src/align/scoring/aggregate.js';

describe('aggregate', () => {
  // One lucky intention (0.9) among unrelated ones, worked by hand.
  const lucky = [0.9, 0.1, 0.2, 0.0];

  it('max is the best text', () => {
    assert.equal(aggregate(lucky, 'max'), 0.9);
  });

  it('mean is the average over every text', () => {
    assert.ok(Math.abs(aggregate(lucky, 'mean') - 1.2 / 4) < 1e-12);
  });

  it('topm is the average of the m best, in any input order', () => {
    assert.ok(Math.abs(aggregate(lucky, 'topm', 2) - (0.9 + 0.2) / 2) < 1e-12);
    assert.ok(Math.abs(aggregate([0.2, 0.9, 0.0, 0.1], 'topm', 3) - (0.9 + 0.2 + 0.1) / 3) < 1e-12);
  });

  it('topm with fewer texts than m averages the ones there are; m = 1 is max', () => {
    assert.ok(Math.abs(aggregate([0.6, 0.4], 'topm', 5) - 0.5) < 1e-12);
    assert.equal(aggregate(lucky, 'topm', 1), aggregate(lucky, 'max'));
  });

  it('never exceeds max (what makes max-ranked candidates a complete pool above a threshold)', () => {
    const scores = [0.31, -0.2, 0.77, 0.5, 0.5, 0.12];
    for (const how of ['mean', 'topm'] as const) {
      for (const m of [1, 2, 3, 10]) assert.ok(aggregate(scores, how, m) <= aggregate(scores, 'max'));
    }
  });

  it('ranks a consistent product above a lucky one under mean but not under max', () => {
    const consistent = [0.6, 0.55, 0.5, 0.5];
    assert.ok(aggregate(lucky, 'max') > aggregate(consistent, 'max'));
    assert.ok(aggregate(lucky, 'mean') < aggregate(consistent, 'mean'));
    assert.ok(aggregate(lucky, 'topm', 3) < aggregate(consistent, 'topm', 3));
  });

  it('refuses an m that is not a positive integer', () => {
    assert.throws(() => aggregate(lucky, 'topm', 0), /m must be a positive integer/);
    assert.throws(() => aggregate(lucky, 'topm', 1.5), /m must be a positive integer/);
  });
});
