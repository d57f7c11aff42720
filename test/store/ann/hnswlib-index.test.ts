import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterModel, rowsOf, rowOf } from '../../../support/synthetic.js';
import { hnswlibIndexFactory } from '../../../src/store/ann/hnswlib-index.js';
import { describeAnnIndex } from './conformance.js';

const factory = hnswlibIndexFactory();
// hnswlib's file has no checksum: a flipped byte inside the graph is not detected.
describeAnnIndex(factory, { recallFloor: 0.95, scoreTolerance: 1e-4, detectsBitFlips: false });

test('hnswlib: re-adding a removed label revives it and keeps the live count right', () => {
  const data = new ClusterModel({ dimension: 16, seed: 1, topics: 2, clustersPerTopic: 2 }).sample(50, 2);
  const index = factory.create(16, 10);
  index.add(
    Array.from({ length: 40 }, (_, i) => i),
    rowsOf(data, 16, 0, 40),
  );
  index.remove(3);
  index.remove(3);
  assert.equal(index.size(), 39);
  assert.ok(!index.has(3));
  index.add([3], [rowOf(data, 16, 45)]);
  assert.equal(index.size(), 40);
  assert.equal(index.search(rowOf(data, 16, 45), 1).labels[0], 3);
});

test('hnswlib: labels beyond uint32 are refused, never wrapped onto small ones', () => {
  const data = new ClusterModel({ dimension: 16, seed: 1, topics: 2, clustersPerTopic: 2 }).sample(10, 2);
  const index = factory.create(16, 10);
  index.add([5], [rowOf(data, 16, 0)]);
  assert.ok(!index.has(2 ** 32 + 5));
  index.remove(2 ** 32 + 5);
  assert.ok(index.has(5));
  assert.throws(() => index.add([2 ** 32], [rowOf(data, 16, 1)]), /uint32/);
});

test('hnswlib: new vectors reuse deleted slots, so churn does not grow the index', () => {
  const data = new ClusterModel({ dimension: 16, seed: 3, topics: 2, clustersPerTopic: 4 }).sample(400, 4);
  const index = factory.create(16, 100);
  index.add(
    Array.from({ length: 200 }, (_, i) => i),
    rowsOf(data, 16, 0, 200),
  );
  const bytes = index.memoryBytes();
  for (let i = 0; i < 100; i++) index.remove(i);
  index.add(
    Array.from({ length: 100 }, (_, i) => 1000 + i),
    rowsOf(data, 16, 200, 300),
  );
  assert.equal(index.size(), 200);
  assert.equal(index.memoryBytes(), bytes);
  for (let i = 0; i < 100; i++) {
    assert.ok(!index.has(i));
    assert.equal(index.search(rowOf(data, 16, 200 + i), 1).labels[0], 1000 + i);
  }
});
