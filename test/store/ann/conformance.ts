/**
 * Behaviour every AnnIndex must show, run against each implementation by its own test file.
 * Data: seeded clustered unit vectors, so results are reproducible run to run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClusterModel, rowOf, rowsOf } from '../../../support/synthetic.js';
import type { AnnIndex, AnnIndexFactory } from '../../../src/store/ann/ann-index.js';
import { ExactIndex } from '../../../src/store/ann/exact-index.js';
import { cosine } from '../../../src/core/vector-math.js';

export interface ConformanceOptions {
  /** Minimum mean recall@10 against the exact scan. */
  recallFloor: number;
  /** Allowed |score − true cosine| (quantised storage needs more). */
  scoreTolerance: number;
  /** Whether load notices a flipped byte in the middle of the file (needs a checksum). */
  detectsBitFlips: boolean;
}

const DIM = 384;
const COUNT = 3000;
const QUERIES = 100;

export function describeAnnIndex(factory: AnnIndexFactory, options: ConformanceOptions): void {
  describe(`AnnIndex conformance: ${factory.name}`, () => {
    const model = new ClusterModel({ dimension: DIM, seed: 7, topics: 10, clustersPerTopic: 6 });
    const base = model.sample(COUNT, 8);
    const queries = model.sample(QUERIES, 9);
    const labels = Array.from({ length: COUNT }, (_, i) => 1000 + 3 * i); // sparse, not 0..n-1
    const vectorOf = new Map(labels.map((label, i) => [label, rowOf(base, DIM, i)]));
    let dir: string;
    let index: AnnIndex;
    let exact: ExactIndex;

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ann-conformance-'));
      index = factory.create(DIM, 100); // far below COUNT: must grow
      exact = new ExactIndex(DIM, COUNT);
      for (let from = 0; from < COUNT; from += 500) {
        index.add(labels.slice(from, from + 500), rowsOf(base, DIM, from, from + 500));
      }
      exact.add(labels, rowsOf(base, DIM, 0, COUNT));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('grows beyond its initial capacity and finds every stored vector', () => {
      assert.equal(index.size(), COUNT);
      assert.ok(index.has(labels[0]) && index.has(labels[COUNT - 1]));
      assert.ok(!index.has(labels[0] + 1));
      for (let i = 0; i < COUNT; i += 97) {
        const { labels: found, scores } = index.search(rowOf(base, DIM, i), 1);
        assert.equal(found[0], labels[i]);
        assert.ok(Math.abs(scores[0] - 1) <= options.scoreTolerance, `self score ${scores[0]}`);
      }
    });

    test(`recall@10 against the exact scan is at least ${options.recallFloor}`, () => {
      assert.ok(recall(index, exact, queries, 10) >= options.recallFloor);
    });

    test('results are best-first and scores are the true cosine', () => {
      for (let q = 0; q < 20; q++) {
        const query = rowOf(queries, DIM, q);
        const { labels: found, scores } = index.search(query, 50);
        assert.equal(found.length, 50);
        assert.equal(new Set(found).size, 50);
        for (let i = 0; i < found.length; i++) {
          if (i > 0) assert.ok(scores[i] <= scores[i - 1] + 1e-6, 'descending');
          const truth = cosine(query, vectorOf.get(found[i])!);
          assert.ok(Math.abs(scores[i] - truth) <= options.scoreTolerance, `score ${scores[i]} vs ${truth}`);
        }
      }
    });

    test('deep searches (n far above the default breadth) keep good recall', () => {
      const n = 1000;
      for (let q = 0; q < 3; q++) {
        const query = rowOf(queries, DIM, q);
        const found = index.search(query, n).labels;
        assert.equal(found.length, n);
        const truth = new Set(exact.search(query, n).labels);
        const hits = found.filter((label) => truth.has(label)).length;
        assert.ok(hits / n >= 0.9, `recall@${n} ${hits / n}`);
      }
    });

    test('rejects present or repeated labels, bad labels and bad vectors, leaving the index as it was', () => {
      assert.throws(() => index.add([labels[5]], [rowOf(base, DIM, 5)]), /already in the index/);
      assert.throws(() => index.add([-1], [rowOf(base, DIM, 5)]), /non-negative safe integer, got -1/);
      assert.throws(() => index.add([1.5], [rowOf(base, DIM, 5)]), /non-negative safe integer, got 1.5/);
      assert.throws(() => index.add([7], [new Float32Array(DIM - 1)]), /vector of length \d+, index dimension is/);
      assert.throws(() => index.add([5_000_000, 5_000_000], rowsOf(base, DIM, 0, 2)), /label 5000000 is already in the index/);
      assert.throws(() => index.add([5_000_001], []), /1 labels but 0 vectors/);
      assert.equal(index.size(), COUNT);
    });

    test('n larger than the index, n = 0 and an empty index', () => {
      const small = factory.create(DIM, 4);
      assert.deepEqual(small.search(rowOf(queries, DIM, 0), 5), { labels: [], scores: [] });
      small.add([10, 11, 12, 13, 14], rowsOf(base, DIM, 0, 5));
      const { labels: found, scores } = small.search(rowOf(queries, DIM, 0), 100);
      assert.deepEqual([...found].sort(), [10, 11, 12, 13, 14]);
      assert.equal(scores.length, 5);
      assert.deepEqual(small.search(rowOf(queries, DIM, 0), 0).labels, []);
      small.remove(12);
      assert.deepEqual([...small.search(rowOf(queries, DIM, 0), 100).labels].sort(), [10, 11, 13, 14]);
    });

    test('save → load round-trip gives identical results, then keeps working', () => {
      const path = join(dir, 'roundtrip.idx');
      index.save(path);
      assert.deepEqual(readdirSync(dir), ['roundtrip.idx'], 'no temp file left behind');
      index.save(path); // overwriting an existing file is fine
      const loaded = factory.load(path, DIM);
      assert.equal(loaded.size(), index.size());
      assert.equal(loaded.dimension, DIM);
      for (let q = 0; q < 20; q++) {
        const query = rowOf(queries, DIM, q);
        assert.deepEqual(loaded.search(query, 10), index.search(query, 10));
      }
      const extra = model.sample(300, 10);
      const extraLabels = Array.from({ length: 300 }, (_, i) => 10_000_000 + i);
      loaded.add(extraLabels, rowsOf(extra, DIM, 0, 300));
      assert.equal(loaded.size(), COUNT + 300);
      assert.equal(loaded.search(rowOf(extra, DIM, 123), 1).labels[0], extraLabels[123]);
    });

    test('removed labels are never returned, also after save → load', () => {
      const victims = new Set<number>();
      // Remove the current best answers of some queries, plus a spread of others.
      for (let q = 0; q < 10; q++) for (const l of index.search(rowOf(queries, DIM, q), 20).labels) victims.add(l);
      for (let i = 0; i < COUNT; i += 5) victims.add(labels[i]);
      for (const label of victims) {
        index.remove(label);
        exact.remove(label);
      }
      index.remove(labels[0]); // twice
      index.remove(999_999_999); // unknown
      assert.equal(index.size(), COUNT - victims.size);
      assert.ok(!index.has(labels[0]));
      const path = join(dir, 'removed.idx');
      index.save(path);
      const loaded = factory.load(path, DIM);
      assert.equal(loaded.size(), COUNT - victims.size);
      for (const candidate of [index, loaded]) {
        for (let q = 0; q < QUERIES; q++) {
          for (const label of candidate.search(rowOf(queries, DIM, q), 50).labels) {
            assert.ok(!victims.has(label), `removed label ${label} returned`);
          }
        }
        assert.ok(recall(candidate, exact, queries, 10) >= options.recallFloor - 0.02);
      }
    });

    test('load throws on a missing file, a corrupt file and a dimension mismatch', () => {
      const good = join(dir, 'good.idx');
      index.save(good);
      const bytes = readFileSync(good);
      assert.throws(() => factory.load(join(dir, 'absent.idx'), DIM), /not found/);
      const garbage = join(dir, 'garbage.idx');
      writeFileSync(garbage, Buffer.alloc(4096, 0x5a));
      assert.throws(() => factory.load(garbage, DIM), unreadableIndexFile(garbage));
      const empty = join(dir, 'empty.idx');
      writeFileSync(empty, Buffer.alloc(0));
      assert.throws(() => factory.load(empty, DIM), unreadableIndexFile(empty));
      const truncated = join(dir, 'truncated.idx');
      writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      assert.throws(() => factory.load(truncated, DIM), unreadableIndexFile(truncated));
      if (options.detectsBitFlips) {
        const flipped = Buffer.from(bytes);
        flipped[Math.floor(flipped.length / 2)] ^= 0xff;
        const path = join(dir, 'flipped.idx');
        writeFileSync(path, flipped);
        assert.throws(() => factory.load(path, DIM), /corrupt/);
      }
      assert.throws(() => factory.load(good, DIM / 2), /dimension/);
      assert.equal(factory.load(good, DIM).size(), index.size());
    });

    test('memoryBytes is a plausible per-vector figure', () => {
      const perVector = index.memoryBytes() / Math.max(1, index.size());
      assert.ok(perVector > 100 && perVector < 20_000, `${perVector} bytes per vector`);
    });
  });
}

function recall(index: AnnIndex, exact: ExactIndex, queries: Float32Array, k: number): number {
  let hits = 0;
  const n = queries.length / DIM;
  for (let q = 0; q < n; q++) {
    const query = rowOf(queries, DIM, q);
    const truth = new Set(exact.search(query, k).labels);
    hits += index.search(query, k).labels.filter((label) => truth.has(label)).length;
  }
  return hits / (n * k);
}

/**
 * What every index says of a file it cannot load: a plain Error naming the file and what is wrong
 * with it. Not any throw: a TypeError from a bug in the loader would otherwise pass as "refused".
 */
function unreadableIndexFile(path: string): (err: unknown) => boolean {
  return (err) =>
    err instanceof Error &&
    err.constructor === Error &&
    err.message.includes(path) &&
    /truncated|corrupt|unreadable|not an? .*index|dimension/.test(err.message);
}
