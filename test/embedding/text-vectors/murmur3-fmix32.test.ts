import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fmix32 } from '../../../src/embedding/text-vectors/murmur3-fmix32.js';

describe('fmix32', () => {
  it('returns a signed 32-bit integer and maps 0 to 0', () => {
    assert.equal(fmix32(0), 0);
    for (const h of [1, -1, 0x7fff_ffff, 0x8000_0000, 123_456_789]) {
      const x = fmix32(h);
      assert.equal(x, x | 0);
    }
  });

  it('spreads nearby inputs over the low bits', () => {
    const low = new Set<number>();
    for (let h = 0; h < 256; h++) low.add(fmix32(h) & 0xff);
    assert.ok(low.size > 140, `${low.size} distinct low bytes of 256`);
  });
});
