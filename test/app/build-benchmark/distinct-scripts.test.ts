import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DistinctScripts } from '../../../src/app/build-benchmark/distinct-scripts.js';

it('lets each script through once, by id and by objective and steps', () => {
  const distinct = new DistinctScripts();
  const camp = { id: 'a', objective: 'camp', steps: ['Pitch the tent', 'Light the stove'] };
  assert.equal(distinct.repeat(camp), undefined);
  assert.equal(distinct.repeat({ ...camp, steps: ['Boil water'] }), 'id');
  assert.equal(distinct.repeat({ ...camp, id: 'b' }), 'content');
  assert.equal(distinct.repeat({ ...camp, id: 'c', objective: 'picnic' }), undefined);
  assert.equal(distinct.repeat({ id: 'd', steps: camp.steps }), undefined, 'no objective is not the objective "camp"');
});
