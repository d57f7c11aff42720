import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { agreementSummary, cohenKappa, fleissKappa, majorityVote, type BinaryLabel } from '../../src/annotation/agreement.js';

const close = (actual: number | null, expected: number, eps = 1e-9) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);

describe('majorityVote', () => {
  it('takes the label most votes went to, with the share that agrees', () => {
    assert.deepEqual(majorityVote([1, 1, 0, 1, 0]), { label: 1, votes: 5, ones: 3, agreement: 3 / 5 });
    assert.deepEqual(majorityVote([0, 0, 0]), { label: 0, votes: 3, ones: 0, agreement: 1 });
    assert.deepEqual(majorityVote([1]), { label: 1, votes: 1, ones: 1, agreement: 1 });
  });

  it('reports a tie as such', () => {
    assert.deepEqual(majorityVote([1, 0]), { label: 'tie', votes: 2, ones: 1, agreement: 0.5 });
    assert.deepEqual(majorityVote([0, 1, 1, 0]), { label: 'tie', votes: 4, ones: 2, agreement: 0.5 });
  });

  it('refuses an item without labels', () => {
    assert.throws(() => majorityVote([]), RangeError);
  });
});

describe('fleissKappa', () => {
  it("reproduces Fleiss' worked example (10 items, 14 raters, 5 categories: κ ≈ 0.210)", () => {
    // The example table from Fleiss (1971) as reproduced on Wikipedia: P̄ = 0.378, P̄e = 0.213.
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    close(fleissKappa(table), 0.2099, 0.0005);
  });

  it('handles items with different numbers of raters (hand-computed: −13/27)', () => {
    // Items [zeros, ones]: P_i = 1, 0, 1/3 → P̄ = 4/9; p = (2/8, 6/8) → P̄e = 5/8; κ = (4/9 − 5/8) / (3/8).
    close(
      fleissKappa([
        [0, 3],
        [1, 1],
        [1, 2],
      ]),
      -13 / 27,
    );
  });

  it('is 1 for perfect agreement, and ignores items with fewer than two ratings', () => {
    close(
      fleissKappa([
        [3, 0],
        [0, 3],
        [2, 0],
        [0, 1],
      ]),
      1,
    );
  });

  it('is undefined without items or when every rating is the same category', () => {
    assert.equal(fleissKappa([]), null);
    assert.equal(fleissKappa([[0, 1]]), null);
    assert.equal(
      fleissKappa([
        [0, 4],
        [0, 2],
      ]),
      null,
    );
  });

  it("equals Scott's π when every item has exactly two raters", () => {
    // Scott's π computed directly: observed agreement vs. chance from the pooled label shares.
    const pairs = fc.array(fc.tuple(fc.constantFrom<BinaryLabel>(0, 1), fc.constantFrom<BinaryLabel>(0, 1)), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(pairs, (ps) => {
        const observed = ps.filter(([a, b]) => a === b).length / ps.length;
        const p1 = ps.reduce((s, [a, b]) => s + a + b, 0) / (2 * ps.length);
        const chance = p1 * p1 + (1 - p1) * (1 - p1);
        const expected = chance >= 1 ? null : (observed - chance) / (1 - chance);
        const counts = ps.map(([a, b]) => [2 - a - b, a + b]);
        const actual = fleissKappa(counts);
        if (expected === null) assert.equal(actual, null);
        else close(actual, expected, 1e-12);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('cohenKappa', () => {
  it('reproduces the textbook example (20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: κ = 0.4)', () => {
    const pairs = [...Array(20).fill([1, 1]), ...Array(5).fill([1, 0]), ...Array(10).fill([0, 1]), ...Array(15).fill([0, 0])] as [
      BinaryLabel,
      BinaryLabel,
    ][];
    close(cohenKappa(pairs), 0.4);
  });

  it('is 1 for identical labels, negative for systematic disagreement, null when undefined', () => {
    close(
      cohenKappa([
        [1, 1],
        [0, 0],
        [1, 1],
      ]),
      1,
    );
    close(
      cohenKappa([
        [1, 0],
        [0, 1],
      ]),
      -1,
    );
    assert.equal(cohenKappa([]), null);
    assert.equal(
      cohenKappa([
        [1, 1],
        [1, 1],
      ]),
      null,
    );
  });
});

describe('agreementSummary', () => {
  it('counts items with two or more labels, and κ for every pair of annotators that shares items', () => {
    const labels = [
      { itemId: 'a', annotator: 'ann', label: 1 },
      { itemId: 'a', annotator: 'bob', label: 1 },
      { itemId: 'a', annotator: 'cy', label: 0 },
      { itemId: 'b', annotator: 'ann', label: 0 },
      { itemId: 'b', annotator: 'bob', label: 0 },
      { itemId: 'c', annotator: 'cy', label: 1 }, // one label: not counted
    ] as const;
    const s = agreementSummary(labels);
    assert.equal(s.items, 2);
    assert.equal(s.annotators, 3);
    close(
      s.fleissKappa,
      fleissKappa([
        [1, 2],
        [2, 0],
      ])!,
    );
    assert.deepEqual(
      s.pairwiseCohenKappa.map((p) => [p.a, p.b, p.items]),
      [
        ['ann', 'bob', 2],
        ['ann', 'cy', 1],
        ['bob', 'cy', 1],
      ],
    );
    close(s.pairwiseCohenKappa[0].kappa, 1);
  });
});
