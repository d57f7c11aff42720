import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SliceSizer } from '../../src/align/slice-sizer.js';

describe('SliceSizer', () => {
  it('starts from the initial size, then sizes slices to the target from the measured cost per step', () => {
    const sizer = new SliceSizer({ targetMs: 10, initial: 16, alpha: 1 });
    assert.equal(sizer.next(), 16);
    sizer.observe(16, 32); // 2 ms a step
    assert.equal(sizer.millisecondsPerStep, 2);
    assert.equal(sizer.next(), 5);
    sizer.observe(5, 0.5); // 0.1 ms a step
    assert.equal(sizer.next(), 100);
  });

  it('averages with weight alpha, so one odd slice moves the size only part way', () => {
    const sizer = new SliceSizer({ targetMs: 10, alpha: 0.5 });
    sizer.observe(10, 10); // 1 ms a step
    sizer.observe(10, 30); // 3 ms a step: the mean moves to 2
    assert.equal(sizer.millisecondsPerStep, 2);
    assert.equal(sizer.next(), 5);
  });

  it('stays within [min, max] and ignores empty or invalid samples', () => {
    const sizer = new SliceSizer({ targetMs: 5, min: 2, max: 64, alpha: 1 });
    sizer.observe(1, 1000);
    assert.equal(sizer.next(), 2, 'never below min, however slow');
    sizer.observe(100, 0);
    assert.equal(sizer.next(), 64, 'never above max, however fast');
    sizer.observe(0, 5);
    sizer.observe(3, Number.NaN);
    assert.equal(sizer.millisecondsPerStep, 0);
  });
});
