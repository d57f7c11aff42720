import { StoreUnavailableError, type StoreStats } from '../../core/vector-store.js';
import type { QdrantConnection } from './connection.js';
import { eq } from './filters.js';
import type { QdrantStoreOptions } from './qdrant-options.js';
import { SharedResult } from './shared-result.js';

/** What /readyz and the metrics ask the Qdrant store: is it reachable (ping), how much does it hold (stats). */
export class QdrantHealth {
  private readonly pings: SharedResult<void>;

  constructor(
    private readonly conn: QdrantConnection,
    private readonly options: Pick<QdrantStoreOptions, 'timeoutMs' | 'pingCacheMs'>,
  ) {
    this.pings = new SharedResult(() => conn.deps.now(), options.pingCacheMs ?? 1_000);
  }

  /**
   * One request, no retries, bounded by min(timeout, 2 s), its outcome shared for pingCacheMs
   * (default 1 s): readiness probes learn within a second when Qdrant goes and comes back, and a
   * flood of probes costs Qdrant one request per second.
   */
  ping(): Promise<void> {
    return this.pings.get(() => this.probe());
  }

  async stats(): Promise<StoreStats> {
    const { client, collection } = this.conn;
    const count = (kind: string) => this.conn.call('count', () => client.count(collection, { filter: { must: [eq('kind', kind)] }, exact: true }));
    const [titles, intentions] = await Promise.all([count('title'), count('intention')]);
    return { products: titles.count, intentions: intentions.count, titles: titles.count };
  }

  private async probe(): Promise<void> {
    const { client, collection, policy } = this.conn;
    const limitMs = Math.min(this.options.timeoutMs, 2_000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`Qdrant did not answer within ${limitMs} ms`, policy.retryAfterSeconds)), limitMs);
    });
    try {
      const exists = await Promise.race([client.collectionExists(collection), timeout]);
      if (!exists.exists) throw new StoreUnavailableError(`Qdrant collection "${collection}" no longer exists; restart the service to recreate it`);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      throw new StoreUnavailableError(`Qdrant unreachable: ${(err as Error).message}`, policy.retryAfterSeconds, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}
