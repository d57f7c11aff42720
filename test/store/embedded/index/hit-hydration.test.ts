import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cosineWithBlob } from '../../../../src/store/embedded/shared/vector-blob.js';
import { cosine, rng, unitVector } from '../../../helpers/vectors.js';

it('scores a stored vector the same through the aligned view and the unaligned byte-by-byte path', () => {
  const random = rng(4);
  for (let trial = 0; trial < 20; trial++) {
    const q = unitVector(random, 384);
    const v = unitVector(random, 384).map((x) => x * (1 + trial)); // stored vectors need not be unit
    const aligned = Buffer.from(new Float32Array(v).buffer);
    // The same bytes one byte into a larger buffer: a Float32Array view is impossible there.
    const backing = Buffer.alloc(aligned.length + 1);
    aligned.copy(backing, 1);
    const unaligned = backing.subarray(1);
    assert.notEqual(unaligned.byteOffset % 4, 0);
    const want = cosine(q, v) / Math.sqrt(cosine(v, v) || 1) / Math.sqrt(cosine(q, q) || 1);
    const viaView = cosineWithBlob(q, aligned);
    const viaBytes = cosineWithBlob(q, unaligned);
    assert.equal(viaView, viaBytes, 'both paths read the same floats in the same order');
    assert.ok(Math.abs(viaView - want) < 1e-5, `trial ${trial}: ${viaView} vs ${want}`);
  }
});
