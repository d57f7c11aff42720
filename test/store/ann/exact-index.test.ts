import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32, rowOf, rowsOf, Rng } from '../../../support/synthetic.js';
import { ExactIndex, exactIndexFactory } from '../../../src/store/ann/exact-index.js';
import { describeAnnIndex } from './conformance.js';

describeAnnIndex(exactIndexFactory, { recallFloor: 1, scoreTolerance: 1e-5, detectsBitFlips: true });

test('exact index matches a naive full sort through adds and removes', () => {
  const dim = 24;
  const rng = new Rng(3);
  const pick = mulberry32(4);
  const data = new Float32Array(600 * dim);
  for (let i = 0; i < 600; i++) rng.unitVector(rowOf(data, dim, i));
  const index = new ExactIndex(dim, 8);
  const live = new Map<number, Float32Array>();
  for (let round = 0; round < 6; round++) {
    const from = round * 100;
    const labels = Array.from({ length: 100 }, (_, i) => from + i);
    index.add(labels, rowsOf(data, dim, from, from + 100));
    labels.forEach((label, i) => live.set(label, rowOf(data, dim, from + i)));
    for (const label of [...live.keys()]) {
      if (pick() < 0.3) {
        index.remove(label);
        live.delete(label);
      }
    }
    assert.equal(index.size(), live.size);
    const query = rng.unitVector(new Float32Array(dim));
    const naive = [...live]
      .map(([label, v]) => ({ label, score: v.reduce((s, x, j) => s + x * query[j], 0) }))
      .sort((a, b) => b.score - a.score);
    for (const n of [1, 7, 64, live.size + 5]) {
      const { labels: got, scores } = index.search(query, n);
      const want = naive.slice(0, n);
      assert.deepEqual(
        got,
        want.map((w) => w.label),
      );
      scores.forEach((s, i) => assert.ok(Math.abs(s - want[i].score) < 1e-5));
    }
  }
});

test('exact index normalises what it stores and what it is asked', () => {
  const index = new ExactIndex(3, 1);
  index.add([1, 2], [Float32Array.of(3, 0, 0), Float32Array.of(0, 0.5, 0.5)]);
  const { labels, scores } = index.search(Float32Array.of(0, 2, 2), 2);
  assert.deepEqual(labels, [2, 1]);
  assert.ok(Math.abs(scores[0] - 1) < 1e-6 && Math.abs(scores[1]) < 1e-6);
});
