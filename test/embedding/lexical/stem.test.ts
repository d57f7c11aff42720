import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stem } from '../../../src/embedding/lexical/stem.js';

describe('stem', () => {
  it('stems inflections of the same word to one key', () => {
    for (const w of ['grilling', 'grilled', 'grills', 'grill']) assert.equal(stem(w), 'grill', w);
    assert.equal(stem('batteries'), stem('battery'));
    assert.equal(stem('cookies'), stem('cookie'));
    assert.equal(stem('baking'), stem('bake'));
    assert.equal(stem('hiking'), stem('hikes'));
    assert.equal(stem('running'), 'run');
    assert.equal(stem('boxes'), 'box');
    assert.equal(stem('glasses'), 'glass');
    // Conservative: short words and non-suffixes are left alone.
    assert.equal(stem('bus'), 'bus');
    assert.equal(stem('bring'), 'bring');
    assert.equal(stem('speed'), 'speed');
  });
});
