import type { IndexCheckReport } from '../../../core/vector-store.js';
import type { IndexReplica } from '../index/index-replica.js';
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
import type { TextSearch } from '../index/text-search.js';

/**
 * How the store talks to one index replica, wherever it runs. Writes are fire-and-forget but
 * delivered in order; everything else answers asynchronously, after every write sent before it.
 */
export interface ReplicaClient {
  readonly openInfo: ReplicaOpenInfo;
  /** `handOver`: the replica may take the vectors' buffer (a worker's is transferred instead of copied). */
  apply(write: ReplicaWrite, handOver?: boolean): void;
  search(request: ReplicaSearch): Promise<ReplicaHits>;
  /** BM25 or stored texts, read through the replica's own catalog connection (replica-messages.ts). */
  read<R extends CatalogRead>(request: R): Promise<CatalogReadResult<R>>;
  check(): Promise<IndexCheckReport>;
  drain(): Promise<boolean>;
  waitBelow(texts: number): Promise<void>;
  snapshot(watermarks: Watermarks): Promise<boolean>;
  /** The latest health the replica reported (a worker reports a few times a second). */
  health(): ReplicaHealth;
  /** Requests sent and not yet answered: the router sends a search to the least busy replica. */
  outstanding(): number;
  /** Milliseconds since the replica last showed it is alive: the replica set's watchdog reads it. */
  silentForMs(): number;
  /**
   * Gives up on a replica that stopped answering (a native call that never returns): what waits
   * on it fails over to other replicas, and the set hears of it as of a death and replaces it.
   */
  abandon(): void;
  close(): Promise<void>;
}

/** Thrown for requests a replica can no longer answer because its worker died; the set retries them elsewhere. */
export class ReplicaLostError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplicaLostError';
  }
}

/**
 * A replica on the calling thread (search-placement.ts, main thread): an injected ANN index
 * factory (the fault-injection tests) reaches the replica directly.
 */
export class LocalReplicaClient implements ReplicaClient {
  private closed = false;

  constructor(
    private readonly replica: IndexReplica,
    readonly openInfo: ReplicaOpenInfo,
    private readonly texts: TextSearch,
  ) {}

  apply(write: ReplicaWrite): void {
    this.replica.apply(write);
  }

  async search(request: ReplicaSearch): Promise<ReplicaHits> {
    return this.replica.search(request);
  }

  async read<R extends CatalogRead>(request: R): Promise<CatalogReadResult<R>> {
    return this.texts.read(request);
  }

  check(): Promise<IndexCheckReport> {
    return this.replica.check();
  }

  async drain(): Promise<boolean> {
    return this.replica.drain();
  }

  waitBelow(texts: number): Promise<void> {
    return this.replica.waitBelow(texts);
  }

  async snapshot(watermarks: Watermarks): Promise<boolean> {
    return this.replica.snapshot(watermarks);
  }

  health(): ReplicaHealth {
    return this.replica.health();
  }

  outstanding(): number {
    return 0;
  }

  /** Never silent: it answers on this thread, and a hang here is the whole process's (the event-loop watchdog's case). */
  silentForMs(): number {
    return 0;
  }

  /** Never called: a replica that is never silent is never abandoned. */
  abandon(): void {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.replica.close();
  }
}
