import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointId } from '../../../src/store/qdrant/point-id.js';

describe('pointId', () => {
  it('is a version-5, RFC-variant UUID, the same for the same (product, kind, text)', () => {
    const id = pointId('p1', 'intention', 'because they want to grill');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(pointId('p1', 'intention', 'because they want to grill'), id);
  });

  it('differs when the product, the kind or the text differs', () => {
    const ids = new Set([
      pointId('p1', 'intention', 'grill'),
      pointId('p2', 'intention', 'grill'),
      pointId('p1', 'title', 'grill'),
      pointId('p1', 'intention', 'Grill'),
      pointId('p1', 'intention', 'grill '),
    ]);
    assert.equal(ids.size, 5);
  });

  it('cannot be confused by separators inside the parts', () => {
    assert.notEqual(pointId('a|b', 'title', 'c'), pointId('a', 'title', 'b|c'));
    assert.notEqual(pointId('a","title', 'title', 'x'), pointId('a', 'title', 'title","x'));
  });

  it('spreads ids: 10,000 texts of one product give 10,000 distinct ids', () => {
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => pointId('p', 'intention', `intention ${i}`)));
    assert.equal(ids.size, 10_000);
  });
});
