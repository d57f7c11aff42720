import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdmissionRejectedError } from '../../src/util/admission-gate.js';
import { CostGate } from '../../src/util/cost-gate.js';

function gateWith(limit = 1, backlogRatio = 2, maxQueue = 8) {
  const clock = { t: 0 };
  const gate = new CostGate({ limit, backlogRatio, maxQueue, now: () => clock.t });
  return { gate, clock };
}

const refusal = (reason: string) => (err: unknown) => {
  assert.ok(err instanceof AdmissionRejectedError, String(err));
  assert.equal(err.reason, reason);
  return true;
};

describe('CostGate', () => {
  it('always admits a request that finds the system empty, however big', async () => {
    const { gate } = gateWith(1, 0);
    const release = await gate.acquire(1_000_000);
    assert.deepEqual({ inFlight: gate.stats().inFlight, backlog: gate.stats().backlog }, { inFlight: 1, backlog: 1_000_000 });
    release();
    assert.equal(gate.stats().backlog, 0);
  });

  it('queues a request whose backlog ahead is within ratio × its cost, and refuses one beyond it at arrival', async () => {
    const { gate } = gateWith(1, 2);
    const first = await gate.acquire(100);
    const second = gate.acquire(100); // 100 ahead ≤ 200: waits
    assert.equal(gate.stats().queued, 1);
    const third = gate.acquire(100); // 200 ahead ≤ 200: waits
    await assert.rejects(gate.acquire(100), refusal('bulkBacklog'), '300 ahead > 200: refused without waiting');
    // A bigger request tolerates more ahead of it: its own run dominates its latency.
    const big = gate.acquire(200); // 300 ahead ≤ 400
    assert.equal(gate.stats().queued, 3);
    first();
    (await second)();
    (await third)();
    (await big)();
    assert.deepEqual(gate.stats().rejected, { backlog: 1, queueFull: 0 });
    assert.equal(gate.stats().admitted, 4);
    assert.equal(gate.stats().backlog, 0);
  });

  it('runs `limit` at once and starts waiters in arrival order, reporting how long each waited', async () => {
    const { gate, clock } = gateWith(2, 10);
    const a = await gate.acquire(10);
    const b = await gate.acquire(10);
    const order: string[] = [];
    const c = gate.acquire(10).then((r) => (order.push('c'), r));
    const d = gate.acquire(10).then((r) => (order.push('d'), r));
    clock.t = 40;
    a();
    const cr = await c;
    assert.equal(cr.sojournMs, 40);
    assert.deepEqual(order, ['c']);
    b();
    (await d)();
    cr();
    assert.deepEqual(order, ['c', 'd']);
  });

  it('sets Retry-After from the throughput measured over busy periods', async () => {
    const { gate, clock } = gateWith(1, 1);
    // Before anything was measured: the default of one second.
    let release = await gate.acquire(1000);
    await assert.rejects(gate.acquire(100), (err: unknown) => {
      assert.ok(err instanceof AdmissionRejectedError);
      assert.equal(err.retryAfterSeconds, 1);
      return true;
    });
    clock.t = 2000; // 1,000 steps in 2 s: 500 steps/s
    release();
    assert.equal(gate.stats().costPerSecond, 500);
    release = await gate.acquire(3000);
    // 3,000 ahead, 1 × 500 fits: the excess 2,500 drains in 5 s.
    await assert.rejects(gate.acquire(500), (err: unknown) => {
      assert.ok(err instanceof AdmissionRejectedError);
      assert.equal(err.retryAfterSeconds, 5);
      assert.match(err.message, /bulk work ahead of this request \(3000 steps\) exceeds 1× its own \(500 steps\)/);
      return true;
    });
    release();
  });

  it('refuses once maxQueue wait, and takes a waiter that gives up out of the queue and the backlog', async () => {
    const { gate } = gateWith(1, 100, 1);
    const running = await gate.acquire(10);
    const giveUp = new AbortController();
    const waiting = gate.acquire(10, giveUp.signal);
    await assert.rejects(gate.acquire(10), refusal('queueFull'));
    giveUp.abort(new Error('client hung up'));
    await assert.rejects(waiting, /client hung up/);
    assert.deepEqual({ queued: gate.stats().queued, backlog: gate.stats().backlog }, { queued: 0, backlog: 10 });
    running();
    assert.equal(gate.stats().backlog, 0);
  });

  it('gives the slot back once, however often release is called', async () => {
    const { gate } = gateWith(1, 100);
    const release = await gate.acquire(5);
    const next = gate.acquire(5);
    release();
    release();
    (await next)();
    assert.deepEqual({ inFlight: gate.stats().inFlight, backlog: gate.stats().backlog }, { inFlight: 0, backlog: 0 });
  });
});
