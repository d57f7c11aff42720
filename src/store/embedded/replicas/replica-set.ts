import { type IndexCheckReport } from '../../../core/vector-store.js';
import type { Logger } from '../../../core/logger.js';
import { ReplicaLostError, type ReplicaClient } from './replica-client.js';
import { combinedHealth, mergeReports } from './replica-health.js';
import type {
  CatalogRead,
  CatalogReadResult,
  ReplicaHealth,
  ReplicaHits,
  ReplicaOpenInfo,
  ReplicaSearch,
  ReplicaWrite,
  Watermarks,
} from '../shared/replica-messages.js';
import { StoreUnavailableError } from '../../../core/errors.js';

/**
 * Starts replica number `slot` (the replacement for a dead one too); it calls `onExit` if it dies
 * or is abandoned, so the set can replace it.
 */
export type ReplicaSpawner = (slot: number, onExit: (client: ReplicaClient, code: number) => void) => Promise<ReplicaClient>;

export interface ReplicaSetOptions {
  spawn: ReplicaSpawner;
  /** Runs `fn` while no write can commit: a replacement must load the catalog while it stands still. */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
  logger: Logger;
  /**
   * A worker silent this long (it reports health 4 times a second) is taken for hung in a native
   * call: abandoned, its searches failed over, a replacement started. 0 disables. Default 30 s.
   */
  stallMs?: number;
}

/**
 * The index replicas of the embedded store, one per search thread. Every write goes to all of
 * them in commit order; a search goes to the least busy one. More replicas mean more searches at
 * once on more cores, paid for with one copy of the index (memory) and of its HNSW inserts (CPU)
 * per replica: see docs/decisions/search-worker-replicas.md for the trade, and docs/measurements.md,
 * "Search on more than one core", for the measurements.
 *
 * A replica whose worker dies is replaced by a fresh one that loads the snapshot and replays the
 * catalog (under the store's write lock); searches it had in hand are retried on another replica.
 */
export class ReplicaSet {
  /** A slot is empty while its replica starts (or is replaced). */
  private readonly replicas: (ReplicaClient | undefined)[];
  private readonly respawning = new Map<number, Promise<void>>();
  private closed = false;
  private watchdog?: NodeJS.Timeout;
  private opened?: ReplicaOpenInfo;

  private constructor(
    count: number,
    private readonly options: ReplicaSetOptions,
  ) {
    this.replicas = Array.from({ length: count }, () => undefined);
  }

  /** What the first replica found while opening (they all read the same catalog). */
  get openInfo(): ReplicaOpenInfo {
    if (!this.opened) throw new Error('replica set not open');
    return this.opened;
  }

  /**
   * Starts `count` replicas; resolves once every one has opened. The set exists before its
   * replicas, so a replica that dies at any time after it started is replaced by this set.
   */
  static async open(count: number, options: ReplicaSetOptions): Promise<ReplicaSet> {
    const set = new ReplicaSet(count, options);
    await set.startAll();
    return set;
  }

  private async startAll(): Promise<void> {
    // Each replica takes its slot as soon as it has opened, not when all have: one that dies while
    // its siblings still load must be found in its slot, or its replacement is never started.
    const started = await Promise.allSettled(this.replicas.map(async (_, slot) => (this.replicas[slot] = await this.spawn(slot))));
    const opened = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      this.closed = true;
      await Promise.all(opened.map((replica) => replica.close()));
      throw failed.reason;
    }
    this.opened = opened[0].openInfo;
    const stallMs = this.options.stallMs ?? 30_000;
    if (stallMs > 0) {
      this.watchdog = setInterval(() => this.abandonSilent(stallMs), Math.max(50, stallMs / 4));
      this.watchdog.unref();
    }
  }

  private spawn(slot: number): Promise<ReplicaClient> {
    return this.options.spawn(slot, (client, code) => this.replaceLater(client, code));
  }

  private abandonSilent(stallMs: number): void {
    for (const replica of this.live()) {
      if (replica.silentForMs() <= stallMs) continue;
      this.options.logger.warn(
        { silentMs: Math.round(replica.silentForMs()) },
        'search worker stopped answering (hung native call?); failing its searches over and replacing it',
      );
      replica.abandon();
    }
  }

  /** Told by a replica that died or was abandoned: start a replacement in its slot. */
  private replaceLater(client: ReplicaClient, code: number): void {
    const slot = this.replicas.indexOf(client);
    if (slot < 0 || this.closed) return;
    this.replicas[slot] = undefined;
    this.options.logger.warn({ slot, code }, 'search worker died; starting a replacement from the catalog');
    const attempt = (): Promise<void> =>
      this.options
        .exclusive(async () => {
          if (this.closed) return;
          this.replicas[slot] = await this.spawn(slot);
        })
        .catch(async (err) => {
          this.options.logger.warn({ slot, err: (err as Error)?.message }, 'replacement search worker failed to start; retrying in 1 s');
          await new Promise((r) => setTimeout(r, 1000).unref());
          if (!this.closed) return attempt();
        });
    const done = attempt().finally(() => this.respawning.delete(slot));
    this.respawning.set(slot, done);
  }

  /**
   * Hands a write to every replica. The last one is given the vectors' buffer (transferred, not
   * copied); the caller must not touch them afterwards.
   */
  apply(write: ReplicaWrite): void {
    const live = this.live();
    live.forEach((replica, i) => replica.apply(write, i === live.length - 1));
  }

  search(request: ReplicaSearch): Promise<ReplicaHits> {
    return this.route((replica) => replica.search(request));
  }

  read<R extends CatalogRead>(request: R): Promise<CatalogReadResult<R>> {
    return this.route((replica) => replica.read(request));
  }

  /** Sends a read to the least busy replica; one retry per replica: it is lost only if every replica dies holding it. */
  private async route<T>(send: (replica: ReplicaClient) => Promise<T>): Promise<T> {
    for (let attempt = 0; attempt <= this.replicas.length; attempt++) {
      const replica = await this.leastBusy();
      try {
        return await send(replica);
      } catch (err) {
        if (!(err instanceof ReplicaLostError)) throw err;
      }
    }
    throw new StoreUnavailableError('search workers keep failing; retry shortly', 1);
  }

  private async leastBusy(): Promise<ReplicaClient> {
    let live = this.live();
    if (live.length === 0) {
      if (this.respawning.size === 0) throw new StoreUnavailableError('no search worker is running', 1);
      await Promise.race(this.respawning.values());
      live = this.live();
      if (live.length === 0) throw new StoreUnavailableError('search workers are restarting; retry shortly', 1);
    }
    let best = live[0];
    for (const replica of live) if (replica.outstanding() < best.outstanding()) best = replica;
    return best;
  }

  private live(): ReplicaClient[] {
    return this.replicas.filter((r): r is ReplicaClient => r !== undefined);
  }

  /** Checks every replica (the caller holds the write lock) and sums what they found. */
  async check(): Promise<IndexCheckReport> {
    const reports = await Promise.all(this.live().map((r) => r.check()));
    return mergeReports(reports);
  }

  async drain(): Promise<boolean> {
    const results = await Promise.all(this.live().map((r) => r.drain()));
    return results.every(Boolean);
  }

  async waitBelow(texts: number): Promise<void> {
    await Promise.all(this.live().map((r) => r.waitBelow(texts).catch(() => undefined)));
  }

  /** One replica writes the snapshot: they all hold the same texts, and the others load it on their next start. */
  async snapshot(watermarks: Watermarks): Promise<boolean> {
    const writer = this.live()[0];
    return writer ? writer.snapshot(watermarks) : false;
  }

  /** The replicas' health as one (replica-health.ts). */
  health(): ReplicaHealth {
    return combinedHealth(this.live().map((r) => r.health()));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.allSettled([...this.respawning.values()]);
    await Promise.all(this.live().map((r) => r.close()));
  }
}
