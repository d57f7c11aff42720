import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGGREGATIONS } from '../../../src/align/scoring/aggregate.js';
import { sweptAggregations, sweptScorings, type AggregateChoice } from '../../../src/app/calibrate/aggregate-choice.js';
import { calibrateCommand } from '../../../src/cli/calibrate-command.js';

const CHOICES: AggregateChoice[] = [...AGGREGATIONS, 'all'];

/** The calibrate command's option check, with only the scoring options set. */
function problems(aggregate: AggregateChoice, m?: number) {
  const values = { aggregate, m, retrieval: 'semantic' } as unknown as Parameters<NonNullable<typeof calibrateCommand.refine>>[0];
  return calibrateCommand.refine!(values);
}

describe("calibrate's aggregate choice", () => {
  it("'all' sweeps every aggregation, max first (its recommendation heads the summary); one aggregation sweeps itself", () => {
    assert.deepEqual(sweptAggregations('all'), ['max', 'mean', 'topm']);
    for (const a of AGGREGATIONS) assert.deepEqual(sweptAggregations(a), [a]);
  });

  it("the m given reaches topm's scoring and no other, under 'all' as under topm", () => {
    assert.deepEqual(sweptScorings({ m: 5, retrieval: 'semantic' }, 'all'), [
      { aggregate: 'max', retrieval: 'semantic' },
      { aggregate: 'mean', retrieval: 'semantic' },
      { aggregate: 'topm', m: 5, retrieval: 'semantic' },
    ]);
    assert.deepEqual(sweptScorings({ m: 5, retrieval: 'lexical' }, 'topm'), [{ aggregate: 'topm', m: 5, retrieval: 'lexical' }]);
  });

  it('the option check allows --m exactly when the run sweeps topm (one meaning of all for both)', () => {
    for (const choice of CHOICES) {
      const sweepsTopm = sweptScorings({ m: 2 }, choice).some((s) => s.m === 2);
      assert.equal(problems(choice, 2).length === 0, sweepsTopm, `--aggregate ${choice} --m 2`);
      assert.deepEqual(problems(choice), [], `--aggregate ${choice}`);
    }
  });
});
