import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fleissKappa } from '../../src/annotation/agreement.js';
import { voteSummary } from '../../src/annotation/vote-summary.js';

it('rebuilds items, votes and Fleiss κ from exported majority labels', () => {
  // Items as [zeros, ones]: (1,4) → label 1, agreement 0.8; (3,0) → label 0, 1; (2,3) → label 1, 0.6.
  const s = voteSummary([
    { label: true, votes: 5, agreement: 0.8 },
    { label: false, votes: 3, agreement: 1 },
    { label: true, votes: 5, agreement: 0.6 },
  ])!;
  assert.equal(s.items, 3);
  assert.deepEqual(s.votes, { min: 3, median: 5, max: 5 });
  assert.equal(s.meanAgreement, (0.8 + 1 + 0.6) / 3);
  assert.equal(
    s.fleissKappa,
    fleissKappa([
      [1, 4],
      [3, 0],
      [2, 3],
    ]),
  );
});

it('is null for labels that carry no votes (a hand-written labels file)', () => {
  assert.equal(voteSummary([{ label: true }, { label: false }]), null);
});
