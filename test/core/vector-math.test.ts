import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosine, dot, l2normalize } from '../../src/core/vector-math.js';

test('cosine of vectors of any norm equals the dot of their normalised copies', () => {
  const a = Float32Array.from([3, 4, 0]);
  const b = Float32Array.from([0, 2, 2]);
  const expected = dot(l2normalize(Float32Array.from(a)), l2normalize(Float32Array.from(b)));
  assert.ok(Math.abs(cosine(a, b) - expected) < 1e-6);
  // Worked by hand: a·b = 8, |a| = 5, |b| = 2√2, so 8 / (10√2).
  assert.ok(Math.abs(cosine(a, b) - 8 / (10 * Math.SQRT2)) < 1e-6);
});

test('cosine with a zero vector is 0, not NaN', () => {
  assert.equal(cosine(new Float32Array(3), Float32Array.from([1, 2, 3])), 0);
});

test('l2normalize leaves zero vectors alone and makes others unit length', () => {
  assert.deepEqual([...l2normalize(new Float32Array(2))], [0, 0]);
  const v = l2normalize(Float32Array.from([1, 1, 1, 1]));
  assert.ok(Math.abs(dot(v, v) - 1) < 1e-6);
});

test('l2normalize with a tolerance keeps the exact floats of a near-unit vector', () => {
  const unit = l2normalize(Float32Array.from([0.1, 0.7, 0.3]));
  const before = Float32Array.from(unit);
  l2normalize(unit, 1e-7);
  assert.deepEqual([...unit], [...before]);
  const scaled = l2normalize(Float32Array.from([0.2, 1.4, 0.6]), 1e-7);
  assert.ok(Math.abs(dot(scaled, scaled) - 1) < 1e-6, 'a vector far from unit length is still scaled');
});
