import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FifoSemaphore } from '../../src/util/fifo-semaphore.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('FifoSemaphore', () => {
  it('runs at most `slots` tasks at once and starts waiters in arrival order', async () => {
    const sem = new FifoSemaphore(2);
    const started: number[] = [];
    const gates = [0, 1, 2, 3].map(() => gate());
    const runs = gates.map((g, i) =>
      sem.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(sem.load, { running: 2, waiting: 2 });
    gates[1].open();
    await tick();
    assert.deepEqual(started, [0, 1, 2], 'the oldest waiter took the freed slot');
    const late = sem.run(async () => 'late');
    gates[0].open();
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3], 'a waiter queued before the newcomer went first');
    gates[2].open();
    gates[3].open();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
    assert.equal(await late, 'late');
    assert.deepEqual(sem.load, { running: 0, waiting: 0 });
  });

  it('frees the slot of a task that throws', async () => {
    const sem = new FifoSemaphore(1);
    await assert.rejects(
      sem.run(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await sem.run(async () => 7), 7);
    assert.deepEqual(sem.load, { running: 0, waiting: 0 });
  });

  it('refuses a slot count that is not a positive integer', () => {
    assert.throws(() => new FifoSemaphore(0), /positive integer/);
    assert.throws(() => new FifoSemaphore(1.5), /positive integer/);
  });
});
