import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClusterModel, rowOf, rowsOf } from '../../../support/synthetic.js';
import { annIndexFactory, defaultAnnIndexFactory } from '../../../src/store/ann/default-index.js';

test('the default library is hnswlib-node; both libraries honour the configured breadths', () => {
  assert.match(defaultAnnIndexFactory().name, /^hnswlib-node M=16 efC=256 ef=128$/);
  assert.match(annIndexFactory('hnswlib', { efSearch: 200 }).name, /^hnswlib-node M=16 efC=256 ef=200$/);
  assert.match(annIndexFactory('usearch', { efSearch: 200, efConstruction: 64 }).name, /^usearch f16 M=16 efC=64 ef=200 threads=1$/);
});

test('the default index works end to end', () => {
  const dim = 384;
  const data = new ClusterModel({ dimension: dim, seed: 11, topics: 4, clustersPerTopic: 4 }).sample(500, 12);
  const factory = defaultAnnIndexFactory();
  const index = factory.create(dim, 10);
  index.add(
    Array.from({ length: 500 }, (_, i) => i),
    rowsOf(data, dim, 0, 500),
  );
  assert.equal(index.search(rowOf(data, dim, 42), 1).labels[0], 42);
  const dir = mkdtempSync(join(tmpdir(), 'ann-default-'));
  try {
    index.save(join(dir, 'index.ann'));
    const loaded = factory.load(join(dir, 'index.ann'), dim);
    assert.deepEqual(loaded.search(rowOf(data, dim, 7), 10), index.search(rowOf(data, dim, 7), 10));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
