import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { embedEach } from '../../../src/embedding/text-vectors/embed-each.js';

describe('embedEach', () => {
  it('fills one zeroed buffer and returns a view per text, in order', () => {
    const seen: string[] = [];
    const vs = embedEach(['a', 'bb', 'ccc'], 4, (text, out) => {
      assert.ok(
        out.every((x) => x === 0),
        'slice starts zeroed',
      );
      seen.push(text);
      out[0] = text.length;
    });
    assert.deepEqual(seen, ['a', 'bb', 'ccc']);
    assert.ok(vs.every((v) => v.buffer === vs[0].buffer && v.length === 4));
    assert.equal(vs[0].buffer.byteLength, 3 * 4 * 4);
    assert.deepEqual(
      vs.map((v) => v[0]),
      [1, 2, 3],
    );
  });

  it('hands missing texts to the routine as empty strings', () => {
    const seen: string[] = [];
    embedEach([undefined as unknown as string], 2, (text) => seen.push(text));
    assert.deepEqual(seen, ['']);
    assert.deepEqual(
      embedEach([], 2, () => assert.fail('not called')),
      [],
    );
  });
});
