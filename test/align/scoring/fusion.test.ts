import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RRF_K, reciprocalRankFusion, weightedFusion } from '../../../src/align/scoring/fusion.js';
import { LEXICAL_HALF_SCORE, lexicalScale } from '../../../src/align/scoring/lexical-scale.js';

describe('fusion', () => {
  it('weighted fusion is alpha·semantic + (1−alpha)·lexical, a missing side counting 0', () => {
    assert.ok(Math.abs(weightedFusion(0.8, 0.4, 0.25) - (0.25 * 0.8 + 0.75 * 0.4)) < 1e-12);
    assert.equal(weightedFusion(undefined, 0.4, 0.5), 0.2);
    assert.equal(weightedFusion(0.6, undefined, 0.5), 0.3);
  });

  it('weighted fusion stays in [0, 1]: negative cosines count as 0', () => {
    assert.equal(weightedFusion(-0.7, 0, 0.5), 0);
    assert.equal(weightedFusion(1, 0.999, 0), 0.999);
    assert.equal(weightedFusion(1, 0.999, 1), 1);
  });

  it('rrf sums 1/(60 + rank) over the lists that hold an id', () => {
    // The sides disagree: semantic ranks a > b > c, lexical ranks c > b, and a is not lexical at all.
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'b'],
    ]);
    assert.equal(RRF_K, 60);
    assert.ok(Math.abs(fused.get('a')! - 1 / 61) < 1e-15);
    assert.ok(Math.abs(fused.get('b')! - (1 / 62 + 1 / 62)) < 1e-15);
    assert.ok(Math.abs(fused.get('c')! - (1 / 63 + 1 / 61)) < 1e-15);
    // Found by both sides beats first on one side only.
    assert.ok(fused.get('c')! > fused.get('b')! && fused.get('b')! > fused.get('a')!);
  });

  it('lexical scale maps BM25 into [0, 1), monotone, 0.5 at the half score', () => {
    assert.equal(lexicalScale(0), 0);
    assert.equal(lexicalScale(-3), 0);
    assert.equal(lexicalScale(LEXICAL_HALF_SCORE), 0.5);
    assert.ok(lexicalScale(1) < lexicalScale(2) && lexicalScale(1e9) < 1);
  });
});
