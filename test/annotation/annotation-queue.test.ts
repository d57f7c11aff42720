import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pickNext, type QueueInput } from '../../src/annotation/annotation-queue.js';

const input = (over: Partial<QueueInput>): QueueInput => ({
  order: ['a', 'b', 'c', 'd'],
  gold: new Set(),
  votes: 2,
  goldRate: 0,
  labels: new Map(),
  open: new Map(),
  seen: new Set(),
  seenGold: 0,
  ...over,
});

it('serves items in the set order, skipping seen ones and those with all their votes', () => {
  assert.equal(pickNext(input({})), 'a');
  assert.equal(pickNext(input({ seen: new Set(['a']) })), 'b');
  assert.equal(pickNext(input({ labels: new Map([['a', 2]]) })), 'b');
  assert.equal(pickNext(input({ seen: new Set(['a', 'b', 'c', 'd']) })), undefined);
});

it('prefers items others have started, unless those on screen elsewhere already cover the votes', () => {
  assert.equal(pickNext(input({ labels: new Map([['c', 1]]) })), 'c');
  // c has 1 label and 1 annotator looking at it: its 2 votes are covered, so a fresh item comes first.
  assert.equal(pickNext(input({ labels: new Map([['c', 1]]), open: new Map([['c', 1]]) })), 'a');
  // ...but it is still served when nothing else is left (an open item may never be answered).
  assert.equal(pickNext(input({ labels: new Map([['c', 1]]), open: new Map([['c', 1]]), seen: new Set(['a', 'b', 'd']) })), 'c');
});

it('mixes gold checks in at the rate, and serves either kind when the other runs out', () => {
  const gold = new Set(['b', 'd']);
  assert.equal(pickNext(input({ gold, goldRate: 0.5 })), 'a', 'first served: 1 × 0.5 rounds down to no gold yet');
  assert.equal(pickNext(input({ gold, goldRate: 0.5, seen: new Set(['a']) })), 'b', 'second served is gold');
  assert.equal(pickNext(input({ gold, goldRate: 0.5, seen: new Set(['a', 'b']), seenGold: 1 })), 'c');
  assert.equal(
    pickNext(input({ gold, goldRate: 0, seen: new Set(['a', 'c']) })),
    'b',
    'gold items still get labelled once the rest is done',
  );
});
