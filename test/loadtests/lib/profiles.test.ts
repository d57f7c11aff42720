import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROFILES, SCENARIO_SHARE, profileDurationS, rateFactorAt } from '../../../loadtests/lib/profiles.js';

describe('load profiles', () => {
  it('mix shares add up to the whole traffic', () => {
    const total = Object.values(SCENARIO_SHARE).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `shares sum to ${total}`);
  });

  it('interpolates the arrival rate linearly within each stage', () => {
    const spike = PROFILES.spike;
    assert.equal(rateFactorAt(spike, 0), 0.2);
    assert.equal(rateFactorAt(spike, 30), 0.2);
    assert.ok(Math.abs(rateFactorAt(spike, 35) - 1.6) < 1e-9, 'half-way up the 10 s climb from 0.2 to 3');
    assert.equal(rateFactorAt(spike, 50), 3);
    assert.equal(rateFactorAt(spike, profileDurationS(spike) + 5), 0.2, 'holds the last rate after the end');
    assert.equal(profileDurationS(PROFILES.load), 330);
  });

  it('only overload profiles go past the base rate, and only they expect shedding', () => {
    for (const p of Object.values(PROFILES)) {
      const peak = Math.max(p.startFactor, ...p.stages.map((s) => s.rateFactor));
      assert.equal(p.expectsShedding, peak > 1, p.name);
      assert.ok(p.thresholds.p95Ms <= p.thresholds.p99Ms, p.name);
    }
  });
});
