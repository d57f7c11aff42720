import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalise, tokenize } from '../../../src/embedding/lexical/tokenize.js';

function words(text: string): string[] {
  const out: string[] = [];
  tokenize(normalise(text), out);
  return out;
}

describe('lexical tokenize', () => {
  it('lowercases and folds accents and compatibility forms', () => {
    assert.equal(normalise('Café'), 'cafe');
    assert.equal(normalise('ＧＲＩＬＬ'), 'grill');
    assert.equal(normalise('Grill 20 LB'), 'grill 20 lb');
  });

  it('splits on anything that is not a letter or digit and drops inner apostrophes', () => {
    assert.deepEqual(words("the kid's USB-C cable, don’t 20lb"), ['the', 'kids', 'usb', 'c', 'cable', 'dont', '20lb']);
    assert.deepEqual(words("'quoted' trailing' 'leading"), ['quoted', 'trailing', 'leading']);
    assert.deepEqual(words('🔥 grill 🍖'), ['grill']);
    assert.deepEqual(words('𝒢𝓇𝒾𝓁𝓁 купить'), ['grill', 'купить']);
    assert.deepEqual(words(' ?!... — '), []);
  });

  it('reuses the output array', () => {
    const out = ['stale', 'words'];
    tokenize('fresh', out);
    assert.deepEqual(out, ['fresh']);
  });
});
