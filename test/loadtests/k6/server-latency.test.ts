import assert from 'node:assert/strict';
import { it } from 'node:test';
import { percentileBetween, type Buckets } from '../../../loadtests/k6/server-latency.js';

it('reads a percentile of the answers between two scrapes from cumulative histogram buckets', () => {
  const before: Buckets = new Map([
    [0.01, 10],
    [0.05, 10],
    [0.1, 10],
    [Infinity, 10],
  ]);
  // 100 answers since: 90 under 10 ms, 8 more under 50 ms, 2 more under 100 ms.
  const after: Buckets = new Map([
    [0.01, 100],
    [0.05, 108],
    [0.1, 110],
    [Infinity, 110],
  ]);
  assert.equal(percentileBetween(before, after, 50), 10);
  assert.equal(percentileBetween(before, after, 98), 50);
  assert.equal(percentileBetween(before, after, 99), 100);
  assert.equal(percentileBetween(after, after, 99), undefined, 'no answers in between');
});
