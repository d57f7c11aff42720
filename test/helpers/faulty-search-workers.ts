import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { WorkerReplicaConfig } from '../../src/store/embedded/replicas/worker-protocol.js';
import type { SearchThreadStarter } from '../../src/store/embedded/search-placement.js';
import { spawnWorker } from '../../src/util/spawn-worker.js';

/**
 * Fault hooks for a store's search workers, installed by tests only (store-fixture.ts withWorkers):
 * `start` runs each worker on hangable-replica-worker.ts and remembers its thread per slot, so a
 * test can end a worker as a crash would or hang it as a native call that never returns would.
 */
export class FaultySearchWorkers {
  private readonly threads: Worker[] = [];
  private readonly ready = new Map<Worker, Promise<void>>();

  readonly start: SearchThreadStarter = (config: WorkerReplicaConfig, slot: number) => {
    const thread = spawnWorker(import.meta.url, 'hangable-replica-worker', config);
    this.threads[slot] = thread;
    this.ready.set(thread, new Promise((resolve) => thread.on('message', (m: { type?: string }) => m.type === 'ready' && resolve())));
    return thread;
  };

  /**
   * Ends search worker `slot` as a crash would; resolves once its replacement has loaded the
   * catalog and serves.
   */
  async crash(slot: number): Promise<void> {
    const dying = this.threads[slot];
    await dying.terminate();
    // The store starts the replacement on the dying thread's exit, once its write lock is free.
    while (this.threads[slot] === dying) await sleep(5);
    await this.ready.get(this.threads[slot]);
    // The replica set puts the replacement in its slot right after the worker says it is ready.
    await nextMacrotask();
  }

  /** Holds search worker `slot`'s thread for `ms`, as a hung native call would. */
  hang(slot: number, ms: number): void {
    this.threads[slot].postMessage({ type: 'hang', ms });
  }
}
