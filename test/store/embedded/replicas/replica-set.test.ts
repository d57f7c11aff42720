import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../../src/core/logger.js';
import { ReplicaLostError, type ReplicaClient } from '../../../../src/store/embedded/replicas/replica-client.js';
import { ReplicaSet, type ReplicaSpawner } from '../../../../src/store/embedded/replicas/replica-set.js';
import type { ReplicaOpenInfo } from '../../../../src/store/embedded/shared/replica-messages.js';
import { until } from '../../../helpers/loop-turns.js';

/** A replica that answers searches with its own name until it is told it died. */
function fakeReplica(name: string) {
  let dead = false;
  const client = {
    openInfo: {} as ReplicaOpenInfo,
    search: async () => {
      if (dead) throw new ReplicaLostError(`${name} is gone`);
      return name;
    },
    outstanding: () => 0,
    silentForMs: () => 0,
    abandon: () => undefined,
    close: async () => undefined,
  } as unknown as ReplicaClient;
  return { client, die: () => (dead = true) };
}

describe('ReplicaSet', () => {
  it('replaces a replica that dies while its siblings are still starting', async () => {
    const spawned: { slot: number; name: string }[] = [];
    const deaths: (() => void)[] = [];
    let releaseSlow!: () => void;
    const slowOpen = new Promise<void>((r) => (releaseSlow = r));
    const spawn: ReplicaSpawner = async (slot, onExit) => {
      const name = `slot ${slot} #${spawned.filter((s) => s.slot === slot).length + 1}`;
      spawned.push({ slot, name });
      const replica = fakeReplica(name);
      deaths[slot] = () => {
        replica.die();
        onExit(replica.client, 1);
      };
      if (slot === 1 && spawned.length === 2) await slowOpen; // the sibling is still loading
      return replica.client;
    };
    const opening = ReplicaSet.open(2, { spawn, exclusive: (fn) => fn(), logger: silentLogger, stallMs: 0 });
    await until(() => spawned.length === 2, 'both replicas are starting');
    await new Promise((r) => setImmediate(r)); // slot 0 has opened
    deaths[0](); // ...and dies before slot 1 has
    releaseSlow();
    const set = await opening;
    try {
      await until(() => spawned.some((s) => s.name === 'slot 0 #2'), 'slot 0 is replaced');
      await new Promise((r) => setImmediate(r));
      const answers = new Set<unknown>();
      for (let i = 0; i < 6; i++) answers.add(await set.search({} as never));
      assert.ok(!answers.has('slot 0 #1'), 'the dead replica serves nothing');
      assert.deepEqual(
        spawned.map((s) => s.name),
        ['slot 0 #1', 'slot 1 #1', 'slot 0 #2'],
      );
    } finally {
      await set.close();
    }
  });
});
