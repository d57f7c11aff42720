import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { senseWeights } from '../../../src/embedding/wordnet/sense-weights.js';

describe('senseWeights', () => {
  it('follows tag counts, with the rank prior keeping untagged senses small but present', () => {
    // "tent" (noun): sense 1 tagged 17 times, sense 2 never.
    const [first, second] = senseWeights([17, 0], 1);
    assert.ok(Math.abs(first - 18 / 18.5) < 1e-12);
    assert.ok(Math.abs(second - 0.5 / 18.5) < 1e-12);
  });

  it('spreads over untagged senses in WordNet order and always sums to 1', () => {
    const w = senseWeights([0, 0, 0], 1);
    assert.ok(w[0] > w[1] && w[1] > w[2]);
    assert.ok(Math.abs(w[0] + w[1] + w[2] - 1) < 1e-12);
    assert.ok(Math.abs(w[0] / w[2] - 3) < 1e-12);
  });

  it('lets a frequent later sense outweigh an earlier rare one', () => {
    const w = senseWeights([1, 9], 1);
    assert.ok(w[1] > w[0]);
  });
});
