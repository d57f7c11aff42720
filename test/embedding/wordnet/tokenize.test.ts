import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize } from '../../../src/embedding/wordnet/tokenize.js';

describe('tokenize', () => {
  it('lowercases, folds accents and splits on non-word characters', () => {
    assert.deepEqual(tokenize('Café CRÈME, 22-Inch grill!'), ['cafe', 'creme', '22', 'inch', 'grill']);
  });

  it("drops possessive 's and joins other inner apostrophes", () => {
    assert.deepEqual(tokenize("Father's Day, don't"), ['father', 'day', 'dont']);
    assert.deepEqual(tokenize('the kids\u2019 jeans'), ['the', 'kids', 'jeans']);
  });

  it('yields nothing for empty or punctuation-only text', () => {
    assert.deepEqual(tokenize(''), []);
    assert.deepEqual(tokenize(' -- !? '), []);
  });
});
