import { type StoreStats } from '../../core/vector-store.js';
import type { QdrantConnection } from './connection.js';
import { eq } from './filters.js';
import type { QdrantStoreOptions } from './qdrant-options.js';
import { SharedResult } from './shared-result.js';
import { StoreUnavailableError } from '../../core/errors.js';

/**
 * What /readyz and the metrics ask the Qdrant store: is it reachable (ping), how much does it hold
 * (stats). Every readiness probe calls both, so both answer a flood of probes from one request (one
 * pair of counts) per cache period: Qdrant's load from probes is bounded by the period, not by the
 * probe rate. Measured on the test double (qdrant-health.test.ts): 400 concurrent stats() calls sent
 * 800 exact counts while stats was uncached, 2 now.
 */
export class QdrantHealth {
  private readonly pings: SharedResult<void>;
  private readonly counts: SharedResult<StoreStats>;

  constructor(
    private readonly conn: QdrantConnection,
    private readonly options: Pick<QdrantStoreOptions, 'timeoutMs' | 'pingCacheMs' | 'statsCacheMs'>,
  ) {
    this.pings = new SharedResult(() => conn.deps.now(), options.pingCacheMs ?? 1_000);
    this.counts = new SharedResult(() => conn.deps.now(), options.statsCacheMs ?? 1_000);
  }

  /**
   * One request, no retries, bounded by min(timeout, 2 s), its outcome shared for pingCacheMs
   * (default 1 s): readiness probes learn within a second when Qdrant goes and comes back, and a
   * flood of probes costs Qdrant one request per second.
   */
  ping(): Promise<void> {
    return this.pings.get(() => this.probe());
  }

  /**
   * Two exact counts, their outcome shared for statsCacheMs (default 1 s) like ping's. A failure is
   * that period's answer too (never a success), so a Qdrant that answers pings but fails counts is
   * not asked once per probe. Other processes' writes show within the period; this process's own
   * show at once (see written()).
   */
  stats(): Promise<StoreStats> {
    return this.counts.get(() => this.count());
  }

  /**
   * This process wrote (or tried to: a failed write may be partly applied). Called when the write
   * has settled, so the cached counts, and counts in flight that may have started before the write
   * landed, are dropped and a caller that writes then reads stats sees its own write.
   */
  written(): void {
    this.counts.invalidate();
  }

  /** A closed store refuses stats like every other call rather than answer from the cache. */
  close(): void {
    this.counts.invalidate();
  }

  private async count(): Promise<StoreStats> {
    const { client, collection } = this.conn;
    const count = (kind: string) =>
      this.conn.call('count', () => client.count(collection, { filter: { must: [eq('kind', kind)] }, exact: true }));
    const [titles, intentions] = await Promise.all([count('title'), count('intention')]);
    return { products: titles.count, intentions: intentions.count, titles: titles.count };
  }

  private async probe(): Promise<void> {
    const { client, collection, policy } = this.conn;
    const limitMs = Math.min(this.options.timeoutMs, 2_000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError(`Qdrant did not answer within ${limitMs} ms`, policy.retryAfterSeconds)),
        limitMs,
      );
    });
    try {
      const exists = await Promise.race([client.collectionExists(collection), timeout]);
      if (!exists.exists)
        throw new StoreUnavailableError(`Qdrant collection "${collection}" no longer exists; restart the service to recreate it`);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      throw new StoreUnavailableError(`Qdrant unreachable: ${(err as Error).message}`, policy.retryAfterSeconds, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}
