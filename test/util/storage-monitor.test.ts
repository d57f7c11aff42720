import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageFullError } from '../../src/core/errors.js';
import { StorageMonitor, type VolumeProbe } from '../../src/util/storage-monitor.js';

/** A volume the test fills and empties, read through the monitor's probe. */
function volume(freeBytes: number) {
  const v = { freeBytes, writable: true, reads: 0 };
  const probe: VolumeProbe = {
    async space() {
      v.reads++;
      return { freeBytes: v.freeBytes, totalBytes: 100 << 20 };
    },
    async writable() {
      return v.writable;
    },
  };
  return { v, probe };
}

const MiB = 1 << 20;

describe('StorageMonitor', () => {
  it('refuses early below the floor, and not without one', async () => {
    let now = 0;
    const { v, probe } = volume(5 * MiB);
    const floored = new StorageMonitor('/data', { minFreeBytes: 10 * MiB, probe, now: () => now });
    await assert.rejects(
      floored.assertRoom('The write'),
      (err: StorageFullError) => err.reason === 'below-floor' && /5242880 bytes free/.test(err.message),
    );
    assert.deepEqual(await floored.status(), {
      writes: 'refused',
      reason: 'below-floor',
      freeBytes: 5 * MiB,
      totalBytes: 100 * MiB,
      minFreeBytes: 10 * MiB,
      refusedWrites: 0,
    });
    v.freeBytes = 20 * MiB;
    await assert.rejects(
      floored.assertRoom('The write'),
      (err: unknown) => err instanceof StorageFullError && err.reason === 'below-floor',
      'one reading serves for maxAgeMs',
    );
    now += 1000;
    await floored.assertRoom('The write');
    await new StorageMonitor('/data', { probe }).assertRoom('The write');
  });

  it('says "refused" after a refusal until a write succeeds or a MiB of space comes back', async () => {
    let now = 0;
    const { v, probe } = volume(4096);
    const m = new StorageMonitor('/data', { probe, now: () => now });
    assert.equal((await m.status()).writes, 'accepted');
    m.recordRefusal(new StorageFullError('full', 'full'));
    const refused = await m.status();
    assert.equal(refused.writes, 'refused');
    assert.equal(refused.reason, 'full');
    assert.equal(refused.refusedWrites, 1);
    assert.equal(refused.lastRefusal?.reason, 'full');
    m.recordSuccess();
    assert.equal((await m.status()).writes, 'accepted', 'a write went through');

    m.recordRefusal(new StorageFullError('full', 'full'));
    assert.equal((await m.status()).writes, 'refused');
    now += 1000;
    v.freeBytes += MiB / 2;
    assert.equal((await m.status()).writes, 'refused', 'half a MiB is noise on a busy volume');
    now += 1000;
    v.freeBytes += MiB;
    assert.equal((await m.status()).writes, 'accepted', 'an operator freed space');
    assert.equal((await m.status()).refusedWrites, 2);
  });

  it('reports a read-only volume, and forgets a read-only refusal once it is writable again', async () => {
    let now = 0;
    const { v, probe } = volume(MiB);
    const m = new StorageMonitor('/data', { probe, now: () => now });
    v.writable = false;
    m.recordRefusal(new StorageFullError('read-only', 'read-only'));
    assert.deepEqual([(await m.status()).writes, (await m.status()).reason], ['refused', 'read-only']);
    v.writable = true;
    now += 1000;
    assert.equal((await m.status()).writes, 'accepted');
  });
});
