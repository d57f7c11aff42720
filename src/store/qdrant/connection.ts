import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import type { Filter } from './filters.js';
import type { QdrantStoreOptions } from './qdrant-options.js';
import { DEFAULT_RETRY, realRetryDeps, withRetry, type RetryDeps, type RetryPolicy } from './retry.js';

const SCROLL_PAGE = 256;

/**
 * One collection on one Qdrant: the client, and every request to it made through the retry policy
 * (and refused once the store is closed). The store's parts share one connection.
 */
export class QdrantConnection {
  readonly client: QdrantClient;
  readonly collection: string;
  readonly policy: RetryPolicy;
  readonly deps: RetryDeps;
  private closed = false;

  constructor(options: Pick<QdrantStoreOptions, 'url' | 'apiKey' | 'collection' | 'timeoutMs' | 'retry' | 'retryDeps'>) {
    this.collection = options.collection;
    this.policy = { ...DEFAULT_RETRY, budgetMs: options.timeoutMs, ...options.retry };
    this.deps = options.retryDeps ?? realRetryDeps;
    // checkCompatibility would fire an unawaited request whose failure only prints to the console;
    // open() asks for the version itself and logs it.
    this.client = new QdrantClient({
      ...clientAddress(options.url),
      apiKey: options.apiKey,
      timeout: options.timeoutMs,
      checkCompatibility: false,
    });
  }

  call<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return withRetry(what, op, this.policy, this.deps);
  }

  close(): void {
    this.closed = true;
  }

  /** Every point matching `filter`, paged by point id; with their vectors when `withVector`. */
  async scrollAll(what: string, filter: Filter, withPayload: string[], withVector = false): Promise<Schemas['Record'][]> {
    const out: Schemas['Record'][] = [];
    let offset: Schemas['ExtendedPointId'] | undefined;
    for (;;) {
      const res = await this.call(what, () =>
        this.client.scroll(this.collection, { filter, limit: SCROLL_PAGE, offset, with_payload: withPayload, with_vector: withVector }),
      );
      out.push(...res.points);
      const next = res.next_page_offset as Schemas['ExtendedPointId'] | null | undefined;
      if (next === null || next === undefined) return out;
      offset = next;
    }
  }
}

/**
 * QDRANT_URL as the client needs it. Client 1.18 reads a URL without a port as port 6333 (not the
 * scheme's 80/443) and ignores a path in it; we mean what the URL says, so a path becomes the
 * client's prefix and a missing port stays missing (port null).
 */
export function clientAddress(url: string): { url: string; prefix?: string; port: null } {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, '');
  return { url: u.origin, prefix: path || undefined, port: null };
}
