import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdmissionGate, AdmissionRejectedError, type Release } from '../../src/util/admission-gate.js';

/** A gate on a fake clock: every transition is driven by the test, nothing sleeps. */
function fakeGate(limit: number, maxQueue = 8, targetMs = 10, intervalMs = 100) {
  const clock = { t: 0 };
  const gate = new AdmissionGate({ limit, maxQueue, targetMs, intervalMs, now: () => clock.t });
  return { gate, clock };
}

/** Tracks a pending acquire: whether it settled and how. */
function track(p: Promise<Release>) {
  const s: { release?: Release; error?: AdmissionRejectedError | Error } = {};
  p.then(
    (r) => (s.release = r),
    (e) => (s.error = e),
  );
  return s;
}

/** Lets settled promises run their callbacks. */
const flush = () => new Promise<void>((r) => setImmediate(r));

function reason(s: { error?: unknown }): string | undefined {
  return s.error instanceof AdmissionRejectedError ? s.error.reason : undefined;
}

describe('AdmissionGate', () => {
  it('admits up to the limit at once, queues beyond it, and serves the queue in FIFO order', async () => {
    const { gate, clock } = fakeGate(2);
    const a = await gate.acquire();
    const b = await gate.acquire();
    assert.equal(a.sojournMs, 0);
    const waiting = [track(gate.acquire()), track(gate.acquire()), track(gate.acquire())];
    await flush();
    assert.deepEqual(
      waiting.map((w) => w.release ?? w.error),
      [undefined, undefined, undefined],
      'nobody beyond the limit is admitted',
    );
    assert.equal(gate.stats().inFlight, 2);
    assert.equal(gate.stats().queued, 3);

    clock.t = 4;
    a();
    await flush();
    assert.ok(waiting[0].release, 'the oldest waiter gets the freed slot');
    assert.equal(waiting[0].release.sojournMs, 4);
    assert.equal(waiting[1].release, undefined);
    b();
    await flush();
    assert.ok(waiting[1].release, 'then the next oldest');
    assert.equal(waiting[2].release, undefined);
    waiting[0].release();
    await flush();
    assert.ok(waiting[2].release);
    assert.deepEqual(gate.stats(), {
      inFlight: 2,
      queued: 0,
      admitted: 5,
      rejected: { queueFull: 0, queueDelay: 0 },
      lastSojournMs: 4,
      overloaded: false,
    });
  });

  it('never lets a newcomer overtake a waiter', async () => {
    const { gate } = fakeGate(1);
    const a = await gate.acquire();
    const waiter = track(gate.acquire());
    a(); // the slot goes to the waiter synchronously, so the newcomer must queue behind it
    const newcomer = track(gate.acquire());
    await flush();
    assert.ok(waiter.release);
    assert.equal(newcomer.release, undefined);
    assert.equal(gate.stats().queued, 1);
  });

  it('refuses with queueFull at once when the queue is at its bound', async () => {
    const { gate } = fakeGate(1, 2);
    await gate.acquire();
    const queued = [track(gate.acquire()), track(gate.acquire())];
    const refused = track(gate.acquire());
    await flush();
    assert.equal(reason(refused), 'queueFull');
    assert.equal((refused.error as AdmissionRejectedError).retryAfterSeconds, 1);
    assert.match(refused.error!.message, /admission queue full/);
    assert.equal(queued.filter((q) => q.error).length, 0);
    assert.equal(gate.stats().rejected.queueFull, 1);

    const noQueue = fakeGate(1, 0).gate;
    await noQueue.acquire();
    await assert.rejects(noQueue.acquire(), (e: unknown) => e instanceof AdmissionRejectedError && e.reason === 'queueFull');
  });

  it('enters overload only after the sojourn stays above target for a whole interval, then serves within the target, and leaves it when the queue drains', async () => {
    const { gate, clock } = fakeGate(1, 64);
    // Twice the capacity: one arrival every 10 ms, one completion every 20 ms.
    let slot = await gate.acquire();
    const waiters = [track(gate.acquire())];
    const running = new Set<object>();
    const step = async (arrive: boolean) => {
      clock.t += 10;
      if (arrive) waiters.push(track(gate.acquire()));
      if (clock.t % 20 === 0) {
        slot();
        await flush();
        const next = waiters.find((w) => w.release && !running.has(w));
        if (next) {
          running.add(next);
          slot = next.release!;
        }
      }
      await flush();
    };
    const refused = () => waiters.filter((w) => w.error).length;

    // The first sojourn above target is at t = 20 (20 ms): overload may start at 120, not before.
    while (clock.t < 110) {
      await step(true);
      assert.equal(gate.stats().overloaded, false, `t=${clock.t}: above target for less than an interval`);
      assert.equal(refused(), 0, `t=${clock.t}: nobody refused yet`);
    }
    await step(true); // t = 120
    assert.equal(gate.stats().overloaded, true, 'overloaded once the delay stayed above target for the interval');
    assert.ok(refused() > 0, 'the waiters older than the target were refused, not served late');
    for (const w of waiters.filter((x) => x.error)) {
      assert.equal(reason(w), 'queueDelay');
      assert.match(w.error!.message, /requests waited more than 10 ms for admission for 100 ms/);
    }
    assert.ok(slot.sojournMs <= 10, `the one served waited ${slot.sojournMs} ms, within the target`);

    // Still twice the capacity: overload holds, and every request served waits at most the target.
    const servedBefore = gate.stats().admitted;
    while (clock.t < 400) {
      await step(true);
      assert.equal(gate.stats().overloaded, true, `t=${clock.t}: the standing queue persists`);
      assert.ok(gate.stats().lastSojournMs <= 10, `t=${clock.t}: served after ${gate.stats().lastSojournMs} ms`);
    }
    assert.ok(gate.stats().admitted - servedBefore >= 13, 'it keeps serving at capacity, one per 20 ms');

    // Arrivals stop: the queue drains, and the first free slot that finds nobody waiting ends overload.
    while (gate.stats().queued > 0) await step(false);
    await step(false);
    await step(false);
    assert.equal(gate.stats().overloaded, false, 'overload ends when the queue drains');
    assert.equal(gate.stats().inFlight, 0);
    const after = await gate.acquire();
    assert.equal(after.sojournMs, 0, 'admitted at once after the drain');
  });

  it('clears the overload clock when a sojourn is back under target', async () => {
    const { gate, clock } = fakeGate(1, 16);
    let slot = await gate.acquire();
    let next = track(gate.acquire());
    clock.t = 50; // sojourn 50: starts the interval, ends at 150
    slot();
    await flush();
    slot = next.release!;
    next = track(gate.acquire());
    clock.t = 55; // sojourn 5 ≤ target: the clock resets
    slot();
    await flush();
    slot = next.release!;
    next = track(gate.acquire());
    clock.t = 160; // sojourn 105, past 150, but the interval restarted: not overloaded yet
    slot();
    await flush();
    assert.ok(next.release, 'admitted: the delay was not above target for a whole interval');
    assert.equal(gate.stats().overloaded, false);
  });

  it('never sheds a client with at most 2 requests in flight when the limit is 2, however slow its requests', async () => {
    const { gate, clock } = fakeGate(2, 0);
    // Others overrun the limit first, and are refused; then they leave.
    const others = [await gate.acquire(), await gate.acquire()];
    const refusedOther = track(gate.acquire()); // maxQueue 0: refused
    await flush();
    assert.equal(reason(refusedOther), 'queueFull', 'the gate does shed when over its limit');
    clock.t += 10_000;
    others.forEach((r) => r());

    // The well-behaved writer: two requests at a time, each taking 30 s, swept in between.
    for (let round = 0; round < 50; round++) {
      const pair = [await gate.acquire(), await gate.acquire()];
      clock.t += 30_000;
      assert.equal(gate.sweep(), 0);
      pair[0]();
      clock.t += 5_000;
      pair[1]();
    }
    assert.equal(gate.stats().rejected.queueDelay, 0);
    assert.equal(gate.stats().rejected.queueFull, 1, 'only the burst beyond the limit was refused');
    assert.equal(gate.stats().admitted, 102);
  });

  it('release is idempotent: a second call frees nothing more', async () => {
    const { gate } = fakeGate(1);
    const a = await gate.acquire();
    const waiter = track(gate.acquire());
    const third = track(gate.acquire());
    a();
    a();
    a();
    await flush();
    assert.ok(waiter.release);
    assert.equal(Boolean(third.release), false, 'the repeated releases did not admit a second waiter');
    assert.equal(gate.stats().inFlight, 1);
    waiter.release();
    waiter.release();
    await flush();
    assert.ok(third.release);
    third.release();
    third.release();
    assert.equal(gate.stats().inFlight, 0);
  });

  it('sweep refuses waiters past the interval, oldest first, and leaves the others queued', async () => {
    const { gate, clock } = fakeGate(1);
    const held = await gate.acquire();
    const old = track(gate.acquire());
    clock.t = 60;
    const young = track(gate.acquire());
    clock.t = 100;
    assert.equal(gate.sweep(), 0, 'waited exactly the interval: still within its deadline');
    clock.t = 101;
    assert.equal(gate.sweep(), 1);
    await flush();
    assert.equal(reason(old), 'queueDelay');
    assert.match(old.error!.message, /waited more than 100 ms for admission/);
    assert.equal(young.error, undefined);
    assert.equal(gate.stats().queued, 1);
    // An expired waiter counts as a dequeue above target: the held slot never came back, so when the
    // next one expires an interval later (t ≥ 101 + 100), the gate is overloaded.
    clock.t = 201;
    assert.equal(gate.sweep(), 1);
    await flush();
    assert.equal(reason(young), 'queueDelay');
    assert.equal(gate.stats().overloaded, true, 'a slot held past two deadlines is overload');
    // While overloaded a waiter's deadline is the target, not the interval.
    const late = track(gate.acquire());
    clock.t = 211;
    assert.equal(gate.sweep(), 0, 'waited exactly the target');
    clock.t = 212;
    assert.equal(gate.sweep(), 1);
    await flush();
    assert.equal(reason(late), 'queueDelay');
    assert.match(late.error!.message, /requests waited more than 10 ms for admission for 100 ms/);
    held();
    assert.equal(gate.stats().overloaded, false, 'the release found the queue empty');
  });

  it('a waiter that gives up leaves the queue and is not admitted later', async () => {
    const { gate } = fakeGate(1);
    const held = await gate.acquire();
    const cancel = new AbortController();
    const gaveUp = track(gate.acquire(cancel.signal));
    const next = track(gate.acquire());
    cancel.abort(new Error('client went away'));
    await flush();
    assert.match(String(gaveUp.error), /client went away/);
    assert.equal(gate.stats().queued, 1);
    held();
    await flush();
    assert.ok(next.release, 'the slot went to the next live waiter');
    assert.equal(gate.stats().inFlight, 1);
    assert.deepEqual(gate.stats().rejected, { queueFull: 0, queueDelay: 0 }, 'giving up is not a refusal');
  });
});
