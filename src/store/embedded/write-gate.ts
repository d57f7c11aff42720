import { Mutex } from './mutex.js';

/**
 * The store's write lock, and whether the store is closed. Writes, index checks, snapshots and
 * the start of a replacement replica run one at a time under it: each needs the catalog to stand
 * still (a replica loading or checking the catalog, a snapshot's watermarks), and writes must reach
 * the replicas in commit order. Searches and reads take no lock.
 */
export class WriteGate {
  private readonly lock = new Mutex();
  private isClosed = false;

  get closed(): boolean {
    return this.isClosed;
  }

  assertOpen(): void {
    if (this.isClosed) throw new Error('store is closed');
  }

  /** Runs `fn` alone, on an open store (rejects once the store is closed). */
  whileOpen<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.lock.run(() => {
      this.assertOpen();
      return fn();
    });
  }

  /** Runs `fn` alone, open or closed. */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.lock.run(fn);
  }

  /** Marks the store closed, then runs `teardown` alone (after every write in progress). */
  close(teardown: () => Promise<void>): Promise<void> {
    return this.lock.run(async () => {
      this.isClosed = true;
      await teardown();
    });
  }
}
