import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeScoring } from '../../../src/align/scoring/scoring.js';
import { LEXICAL_THRESHOLDS, defaultThreshold } from '../../../src/align/scoring/thresholds.js';

const semantic = { max: 0.45, mean: 0.254, topm: 0.255 };
const hybrid = { max: 0.243, mean: 0.137, topm: 0.138 };
const weighted = (alpha: number, aggregate: 'max' | 'mean' | 'topm' = 'max') =>
  completeScoring({ retrieval: 'hybrid', fusion: 'weighted', alpha, aggregate });

describe('defaultThreshold', () => {
  it('is the model threshold for semantic, the BM25 one for lexical, none for rrf', () => {
    for (const aggregate of ['max', 'mean', 'topm'] as const) {
      assert.equal(defaultThreshold(completeScoring({ aggregate }), semantic, hybrid), semantic[aggregate]);
      assert.equal(defaultThreshold(completeScoring({ aggregate, retrieval: 'lexical' }), semantic, hybrid), LEXICAL_THRESHOLDS[aggregate]);
    }
    assert.equal(defaultThreshold(completeScoring({ retrieval: 'hybrid', fusion: 'rrf' }), semantic, hybrid), null);
  });

  it('without calibrated hybrid thresholds, mixes the two as the score does', () => {
    for (const alpha of [0, 0.25, 0.5, 0.8, 1]) {
      const expected = Math.round((alpha * semantic.max + (1 - alpha) * LEXICAL_THRESHOLDS.max) * 1000) / 1000;
      assert.equal(defaultThreshold(weighted(alpha), semantic), expected);
    }
  });

  it('with them, meets each calibrated point exactly and moves monotonically between them', () => {
    for (const aggregate of ['max', 'mean', 'topm'] as const) {
      assert.equal(defaultThreshold(weighted(0, aggregate), semantic, hybrid), LEXICAL_THRESHOLDS[aggregate]);
      assert.equal(defaultThreshold(weighted(0.5, aggregate), semantic, hybrid), hybrid[aggregate]);
      assert.equal(defaultThreshold(weighted(1, aggregate), semantic, hybrid), semantic[aggregate]);
      // Between two calibrated points the threshold stays between them (the line's oracle: both ends).
      for (const [lo, hi, a, b] of [
        [0, 0.5, LEXICAL_THRESHOLDS[aggregate], hybrid[aggregate]],
        [0.5, 1, hybrid[aggregate], semantic[aggregate]],
      ] as const) {
        const mid = defaultThreshold(weighted((lo + hi) / 2, aggregate), semantic, hybrid)!;
        assert.ok(Math.abs(mid - (a + b) / 2) < 0.0006, `${aggregate} α=${(lo + hi) / 2}: ${mid}`);
      }
    }
  });
});
