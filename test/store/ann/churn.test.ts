/**
 * Churn property check (support/churn-check.ts) against every in-tree AnnIndex adapter, small:
 * a few seeds of add/remove rounds checked against an exact oracle after every round. The full
 * version, with a watchdog for native hangs, runs in `npm run bench -- --only ann-choice`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { annIndexSubject, runChurn } from '../../../support/churn-check.js';
import type { AnnIndexFactory } from '../../../src/store/ann/ann-index.js';
import { exactIndexFactory } from '../../../src/store/ann/exact-index.js';
import { hnswlibIndexFactory } from '../../../src/store/ann/hnswlib-index.js';
import { usearchIndexFactory } from '../../../src/store/ann/usearch-index.js';

const DIM = 32;
const SEEDS = [1, 2, 3];
// 24 rounds of up to 200 adds: ≈ 2,400 adds per seed against ≤ 600 live, so slots get reused.
const ROUNDS = 24;
const MAX_BATCH = 200;

// usearch with one build thread, its adapter's default and the only way the store inserts: the
// graph, and so any failure, reproduces exactly. Inserting on several threads is not a case here:
// usearch 2.26.2's concurrent add() strands nodes no search reaches (unum-cloud/USearch #735), a
// race a test could only mark todo, and a todo cannot fail. The ann-choice bench follows that race
// (its usearch-f16 row inserts on all cores, over 12 seeds); usearch-batches.test.ts checks that
// a two-thread insert inserts every vector.
const cases: { factory: AnnIndexFactory; scoreTolerance: number; note?: string }[] = [
  { factory: usearchIndexFactory({ quantization: 'f16', buildThreads: 1 }), scoreTolerance: 2e-3, note: '1 build thread' },
  { factory: hnswlibIndexFactory(), scoreTolerance: 1e-4 },
  { factory: exactIndexFactory, scoreTolerance: 1e-5 },
];

for (const { factory, scoreTolerance, note } of cases) {
  describe(`churn: ${factory.name}${note ? ` (${note})` : ''}`, () => {
    for (const seed of SEEDS) {
      test(`seed ${seed}: size, self-search, no removed labels, true scores after every round`, async () => {
        const index = factory.create(DIM, 64); // small: must grow during the run
        const result = await runChurn(annIndexSubject(index), {
          seed,
          rounds: ROUNDS,
          dimension: DIM,
          maxBatch: MAX_BATCH,
          scoreTolerance,
          queriesPerRound: 5,
          model: { topics: 16, clustersPerTopic: 4 },
        });
        assert.ok(result.passed, `round ${result.failure?.round}, ${result.failure?.check}: ${result.failure?.message}`);
        assert.equal(result.roundsDone, ROUNDS);
        assert.ok(result.adds > 2.5 * result.maxLive, `adds ${result.adds} vs max live ${result.maxLive}`);
      });
    }
  });
}

test('the churn check fails on an index that keeps removed labels', async () => {
  const index = exactIndexFactory.create(DIM, 64);
  const leaky = { ...annIndexSubject(index), remove: () => {} };
  const result = await runChurn(leaky, { seed: 1, rounds: 3, dimension: DIM, maxBatch: 50, scoreTolerance: 1e-5 });
  assert.equal(result.passed, false);
  assert.equal(result.failure?.check, 'size');
});
