import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DonorReservoir, objectiveKey } from '../../src/evalset/donor-steps.js';
import { Random } from '../../src/evalset/random.js';
import { t1Records } from '../../src/evalset/t1-corruptions.js';
import { sampleScripts } from './sample-store.js';

const scripts = sampleScripts();
const donors = new DonorReservoir(3);
for (const s of scripts) donors.add(s);

describe('T1 corruptions', () => {
  it('keeps the script as the positive and labels every negative with how it was made', () => {
    for (const script of scripts) {
      const records = t1Records(script, 3, Random.for(1, 't1', script.id), donors);
      assert.equal(records[0].origin, 'original');
      assert.equal(records[0].silverLabel, 1);
      assert.deepEqual(records[0].steps, script.steps);
      assert.deepEqual(
        records
          .slice(1)
          .map((r) => r.origin)
          .sort(),
        ['dropped', 'shuffled', 'swapped'],
        script.id,
      );
      for (const r of records.slice(1)) {
        assert.equal(r.silverLabel, 0);
        assert.equal(r.corruption!.kind, r.origin);
        assert.notDeepEqual(r.steps, script.steps, `${r.origin} must change the script`);
      }
      assert.equal(new Set(records.map((r) => r.id)).size, records.length);
    }
  });

  it('shuffles into another order of the same steps, swaps in a step of another objective, drops one step', () => {
    for (const script of scripts) {
      for (const r of t1Records(script, 3, Random.for(2, 't1', script.id), donors).slice(1)) {
        const c = r.corruption!;
        if (c.kind === 'shuffled') {
          assert.deepEqual([...r.steps].sort(), [...script.steps].sort());
          assert.deepEqual(
            c.order.map((o) => script.steps[o]),
            r.steps,
          );
        } else if (c.kind === 'swapped') {
          assert.equal(r.steps.length, script.steps.length);
          assert.equal(r.steps[c.stepIndex], c.inserted);
          assert.equal(script.steps[c.stepIndex], c.removed);
          assert.ok(!script.steps.includes(c.inserted));
          const donor = scripts.find((s) => s.id === c.donorScriptId)!;
          assert.notEqual(objectiveKey(donor), objectiveKey(script));
          assert.ok(donor.steps.includes(c.inserted));
        } else {
          assert.equal(r.steps.length, script.steps.length - 1);
          assert.deepEqual(
            r.steps,
            script.steps.filter((_, i) => i !== c.stepIndex),
          );
        }
      }
    }
  });

  it('does not drop from a 2-step script, cannot shuffle identical steps, and shuffles a 2-step script into its reverse', () => {
    const two = t1Records({ id: 'two', objective: 'x', steps: ['a', 'b'] }, 6, Random.for(1, 'two'), donors);
    assert.ok(!two.some((r) => r.origin === 'dropped'));
    assert.deepEqual(two.find((r) => r.origin === 'shuffled')!.steps, ['b', 'a']);
    const same = t1Records({ id: 'same', objective: 'x', steps: ['a', 'a'] }, 3, Random.for(1, 'same'), donors);
    assert.ok(!same.some((r) => r.origin === 'shuffled'));
  });

  it('is a function of (seed, script): the same draw twice, another seed another draw', () => {
    const script = scripts[0];
    const a = t1Records(script, 3, Random.for(1, 't1', script.id), donors);
    assert.deepEqual(t1Records(script, 3, Random.for(1, 't1', script.id), donors), a);
    const others = [2, 3, 4, 5].map((seed) => JSON.stringify(t1Records(script, 3, Random.for(seed, 't1', script.id), donors)));
    assert.ok(others.some((o) => o !== JSON.stringify(a)));
  });

  it('finds no donor when every script shares one objective', () => {
    const one = new DonorReservoir(1);
    one.add({ id: 'a', objective: 'Same', steps: ['x', 'y', 'z'] });
    one.add({ id: 'b', objective: ' same ', steps: ['p', 'q'] });
    const records = t1Records({ id: 'a', objective: 'Same', steps: ['x', 'y', 'z'] }, 5, Random.for(1, 'a'), one);
    assert.ok(!records.some((r) => r.origin === 'swapped'));
  });
});
