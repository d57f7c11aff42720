import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import type { Product } from '../../core/product.js';
import {
  ModelMismatchError,
  StoreUnavailableError,
  kindsFor,
  type ProductMatch,
  type ProductUpsert,
  type SearchOptions,
  type StoreStats,
  type VectorStore,
} from '../../core/vector-store.js';
import {
  PAYLOAD_INDEXES,
  LAYOUT_VERSION,
  METADATA_KEY,
  collectionMetadata,
  createCollectionBody,
  readMetadata,
  settingsDrift,
  vectorParams,
  type CollectionSettings,
} from './collection-config.js';
import { chunks, mapLimit } from './concurrency.js';
import { eq, productFilter, searchFilter, staleFilter, titleFilter, type Condition, type Filter } from './filters.js';
import { groupQuery, matchesFromGroups } from './grouping.js';
import { ORDER_KEY_FIELDS, orderKeys } from './order-key.js';
import { pointId } from './point-id.js';
import { productsAfter, type OrderedScan, type TitleRow } from './product-walk.js';
import { DEFAULT_RETRY, QdrantRequestError, realRetryDeps, withRetry, type RetryDeps, type RetryPolicy } from './retry.js';

export interface QdrantStoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface QdrantStoreOptions extends CollectionSettings {
  url: string;
  apiKey?: string;
  collection: string;
  /** Per-request timeout (QDRANT_TIMEOUT_MS); also the budget within which failed calls are retried. */
  timeoutMs: number;
  /** HNSW search breadth (ANN_EF_SEARCH). */
  efSearch: number;
  logger?: QdrantStoreLogger;
  /** Exhaustive search instead of HNSW. For conformance tests against a real Qdrant only. */
  exactSearch?: boolean;
  retry?: Partial<RetryPolicy>;
  retryDeps?: RetryDeps;
  /** Points per upsert request (~1.6 KB of JSON per 384-d vector: 256 points ≈ 0.5 MB). */
  pointsPerRequest?: number;
  /** Requests in flight at once for one call (search steps, upsert chunks). */
  concurrency?: number;
  /** How long a ping result is reused, so a flood of readiness probes costs one request per period. */
  pingCacheMs?: number;
}

/** Payload of every point; title points also carry the product record and its order keys. */
interface PointPayload {
  productId: string;
  kind: 'intention' | 'title';
  text: string;
  title: string;
  category: string | null;
  /** Content hash of the write that produced this point; older revisions are deleted as stale. */
  rev: string;
  product?: Product;
  /** Title points: the product's content hash once all its points are written, null while pending. */
  contentHash?: string | null;
}

const WRITE = { wait: true, ordering: 'medium' } as const;
const SCROLL_PAGE = 256;
const PRODUCTS_PER_REQUEST = 256;
const silent: QdrantStoreLogger = { info() {}, warn() {} };

/**
 * The VectorStore on a Qdrant collection (one point per product text), for catalogs that outgrow one
 * machine. Search is Qdrant's grouping query; products are records on their title points.
 *
 * Writes: Qdrant has no multi-point transactions, so a product update is ordered to be safe at every
 * step: (1) upsert the new points with rev = new hash, the title point marked pending; (2) delete the
 * product's points of other revisions; (3) mark the title point committed with the content hash.
 * A failure between steps leaves the product "pending" or without a title point, which
 * contentHashes reports as missing, so the next ingest rewrites it. Searches during an update may
 * see old and new texts side by side for a moment, never a mix of products.
 */
export class QdrantStore implements VectorStore {
  readonly backend = 'qdrant';
  readonly modelId: string;
  readonly dimension: number;
  private readonly client: QdrantClient;
  private readonly collection: string;
  private readonly options: QdrantStoreOptions;
  private readonly policy: RetryPolicy;
  private readonly deps: RetryDeps;
  private readonly logger: QdrantStoreLogger;
  private lastPing?: { at: number; result: Promise<void> };
  private closed = false;

  private constructor(options: QdrantStoreOptions) {
    this.options = options;
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.collection = options.collection;
    this.logger = options.logger ?? silent;
    this.policy = { ...DEFAULT_RETRY, budgetMs: options.timeoutMs, ...options.retry };
    this.deps = options.retryDeps ?? realRetryDeps;
    // checkCompatibility would fire an unawaited request whose failure only prints to the console;
    // open() asks for the version itself and logs it.
    this.client = new QdrantClient({ ...clientAddress(options.url), apiKey: options.apiKey, timeout: options.timeoutMs, checkCompatibility: false });
  }

  /** Connects, creates or verifies the collection and its payload indexes. */
  static async open(options: QdrantStoreOptions): Promise<QdrantStore> {
    const store = new QdrantStore(options);
    await store.prepare();
    return store;
  }

  private call<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return withRetry(what, op, this.policy, this.deps);
  }

  private async prepare(): Promise<void> {
    const version = await this.call('version check', () => this.client.versionInfo());
    let info = await this.describe();
    if (!info) {
      info = await this.createCollection();
      this.logger.info({ collection: this.collection, qdrant: version.version, ...this.settingsLog() }, 'qdrant collection created');
    }
    if (!readMetadata(info) && (info.points_count ?? 0) === 0) info = await this.adopt();
    this.verify(info);
    const drift = settingsDrift(info, this.options);
    if (drift.length) {
      this.logger.warn({ collection: this.collection, drift }, 'qdrant collection settings differ from the configuration; the collection keeps its own');
    }
    for (const index of PAYLOAD_INDEXES) {
      if (info.payload_schema[index.field]) continue;
      await this.call('payload index creation', () =>
        this.client.createPayloadIndex(this.collection, { wait: true, field_name: index.field, field_schema: index.schema }),
      );
    }
    this.logger.info({ collection: this.collection, qdrant: version.version, points: info.points_count ?? 0 }, 'qdrant store open');
  }

  private settingsLog() {
    const o = this.options;
    return { dimension: o.dimension, shards: o.shards, replicationFactor: o.replicationFactor, quantization: o.quantization, onDisk: o.onDisk };
  }

  /** The collection's info, or undefined when it does not exist. */
  private async describe(): Promise<Schemas['CollectionInfo'] | undefined> {
    try {
      return await this.call('collection lookup', () => this.client.getCollection(this.collection));
    } catch (err) {
      if (err instanceof QdrantRequestError && err.status === 404) return undefined;
      throw err;
    }
  }

  private async createCollection(): Promise<Schemas['CollectionInfo']> {
    try {
      // Through the raw API: the convenience method of client 1.18 drops the `metadata` field.
      await this.call('collection creation', () =>
        this.client.api().createCollection({ collection_name: this.collection, ...createCollectionBody(this.options) }),
      );
    } catch (err) {
      // Another replica of the service created it first: verify theirs like any existing one.
      if (!(err instanceof QdrantRequestError && err.status === 409)) throw err;
    }
    const info = await this.describe();
    if (!info) throw new StoreUnavailableError(`Qdrant collection "${this.collection}" vanished right after creation`);
    return info;
  }

  /** An empty collection made by someone else (an operator choosing its settings): record our model in it. */
  private async adopt(): Promise<Schemas['CollectionInfo']> {
    await this.call('collection metadata update', () =>
      this.client.api().updateCollection({ collection_name: this.collection, metadata: { [METADATA_KEY]: collectionMetadata(this.options) } }),
    );
    this.logger.info({ collection: this.collection }, 'empty qdrant collection adopted: embedder recorded in its metadata');
    return (await this.describe()) ?? (await this.createCollection());
  }

  /** Refuses a collection whose vectors came from another model, dimension or point layout. */
  private verify(info: Schemas['CollectionInfo']): void {
    const where = `Qdrant collection "${this.collection}"`;
    const remedy =
      `Either select the model it was built with again (EMBEDDER / MODEL_ID), point QDRANT_COLLECTION at another ` +
      `collection (a new one is created), or delete it (curl -X DELETE <QDRANT_URL>/collections/${this.collection}) and ingest the catalog again.`;
    const meta = readMetadata(info);
    const vectors = vectorParams(info);
    if (!meta) {
      throw new ModelMismatchError(
        `${where} does not record which embedding model built it (no "ecomalign" metadata: it was not created by ecomalign, ` +
          `or by a Qdrant older than 1.16, which drops collection metadata). Its vectors cannot be trusted to match ` +
          `"${this.modelId}". ${remedy}`,
      );
    }
    if (meta.modelId !== this.modelId || meta.dimension !== this.dimension || (vectors && vectors.size !== this.dimension)) {
      throw new ModelMismatchError(
        `${where} holds vectors from model "${meta.modelId}" (${meta.dimension} dimensions), but the active embedder is ` +
          `"${this.modelId}" (${this.dimension} dimensions). Vectors of different models cannot be compared. ${remedy}`,
      );
    }
    if (vectors && vectors.distance !== 'Cosine') {
      throw new ModelMismatchError(`${where} uses ${vectors.distance} distance; ecomalign needs Cosine. ${remedy}`);
    }
    if (meta.layout !== LAYOUT_VERSION) {
      throw new ModelMismatchError(`${where} was written with point layout ${meta.layout}; this version uses ${LAYOUT_VERSION}. ${remedy}`);
    }
  }

  async contentHashes(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const pending = new Set<string>();
    for (const part of chunks([...new Set(ids)], PRODUCTS_PER_REQUEST)) {
      const rows = await this.scrollAll('content hash lookup', titleFilter(part), ['productId', 'contentHash']);
      for (const row of rows) {
        const p = row.payload as Partial<PointPayload>;
        const id = String(p.productId);
        const hash = p.contentHash;
        // A pending title, or two committed ones that disagree, means an interrupted write: report
        // the product as missing so the next ingest rewrites it whole.
        if (typeof hash !== 'string' || (out.has(id) && out.get(id) !== hash)) pending.add(id);
        else out.set(id, hash);
      }
    }
    for (const id of pending) out.delete(id);
    return out;
  }

  async upsert(items: readonly ProductUpsert[]): Promise<void> {
    const latest = new Map<string, ProductUpsert>();
    for (const item of items) {
      for (const t of item.texts) {
        if (t.vector.length !== this.dimension) {
          throw new ModelMismatchError(`vector of dimension ${t.vector.length} for product ${item.product.id}; store expects ${this.dimension}`);
        }
      }
      if (!item.texts.some((t) => t.kind === 'title')) throw new Error(`product ${item.product.id} has no title text to index`);
      latest.set(item.product.id, item); // the last write of a product in a batch wins, as in SQL
    }
    const batch = [...latest.values()];
    if (batch.length === 0) return;
    const concurrency = this.options.concurrency ?? 4;
    // (1) new points, titles pending
    const points = batch.flatMap((item) => this.pointsOf(item));
    await mapLimit(chunks(points, this.options.pointsPerRequest ?? 256), concurrency, (part) =>
      this.call('upsert', () => this.client.upsert(this.collection, { ...WRITE, points: part })),
    );
    const revs = batch.map((item) => ({ productId: item.product.id, rev: item.contentHash }));
    // (2) points of earlier versions (texts that changed or disappeared)
    await mapLimit(chunks(revs, PRODUCTS_PER_REQUEST), concurrency, (part) =>
      this.call('stale point removal', () => this.client.delete(this.collection, { ...WRITE, filter: staleFilter(part) })),
    );
    // (3) commit: the title point now vouches for the whole product
    await mapLimit(chunks(revs, PRODUCTS_PER_REQUEST), concurrency, (part) =>
      this.call('commit', () =>
        this.client.batchUpdate(this.collection, {
          ...WRITE,
          operations: part.map(({ productId, rev }) => ({
            set_payload: { payload: { contentHash: rev }, filter: { must: [eq('productId', productId), eq('kind', 'title'), eq('rev', rev)] } },
          })),
        }),
      ),
    );
  }

  private pointsOf(item: ProductUpsert): Schemas['PointStruct'][] {
    const { product, contentHash } = item;
    const seen = new Set<string>();
    const points: Schemas['PointStruct'][] = [];
    for (const t of item.texts) {
      const id = pointId(product.id, t.kind, t.text);
      if (seen.has(id)) continue; // the same text twice is one point
      seen.add(id);
      const payload: PointPayload = {
        productId: product.id,
        kind: t.kind,
        text: t.text,
        title: product.title,
        category: product.category ?? null,
        rev: contentHash,
      };
      if (t.kind === 'title') {
        payload.product = product;
        payload.contentHash = null;
        const keys = orderKeys(product.id);
        ORDER_KEY_FIELDS.forEach((field, i) => ((payload as unknown as Record<string, unknown>)[field] = keys[i]));
      }
      points.push({ id, vector: Array.from(t.vector), payload: payload as unknown as Record<string, unknown> });
    }
    return points;
  }

  async get(id: string): Promise<Product | undefined> {
    const res = await this.call('product lookup', () =>
      this.client.scroll(this.collection, { filter: titleFilter([id]), limit: 2, with_payload: ['product'], with_vector: false }),
    );
    return (res.points[0]?.payload as Partial<PointPayload> | undefined)?.product;
  }

  async listProducts(page: { after?: string; limit: number }): Promise<Product[]> {
    const payload = ['productId', 'product', ...ORDER_KEY_FIELDS];
    const toRow = (p: Schemas['Record']): TitleRow<Product> => {
      const pl = p.payload as Record<string, unknown>;
      return { productId: String(pl.productId), keys: ORDER_KEY_FIELDS.map((f) => Number(pl[f])), product: pl.product as Product };
    };
    const withTitle = (conditions: Condition[]): Filter => ({ must: [eq('kind', 'title'), ...conditions] });
    const scan: OrderedScan<Product> = {
      ordered: async (conditions, key, limit) => {
        const res = await this.call('product listing', () =>
          this.client.scroll(this.collection, { filter: withTitle(conditions), order_by: { key, direction: 'asc' }, limit, with_payload: payload }),
        );
        return res.points.map(toRow);
      },
      all: async (conditions) => (await this.scrollAll('product listing', withTitle(conditions), payload)).map(toRow),
    };
    return productsAfter(scan, page.after, page.limit);
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.call('product lookup', () => this.client.count(this.collection, { filter: productFilter(id), exact: true }));
    if (count === 0) return false;
    await this.call('delete', () => this.client.delete(this.collection, { ...WRITE, filter: productFilter(id) }));
    return true;
  }

  async search(queries: readonly Float32Array[], options: SearchOptions): Promise<ProductMatch[][]> {
    for (const q of queries) {
      if (q.length !== this.dimension) throw new ModelMismatchError(`query of dimension ${q.length}; store expects ${this.dimension}`);
    }
    const filter = searchFilter(kindsFor(options.match), options.filter);
    if (!filter) return queries.map(() => []); // an empty id or category list selects nothing
    const params = {
      k: options.k,
      threshold: options.threshold,
      filter,
      efSearch: this.options.efSearch,
      rescore: this.options.quantization === 'int8',
      exact: this.options.exactSearch,
    };
    // No batch endpoint groups; the steps go out concurrently instead (bounded, for /align/batch).
    return mapLimit(queries, this.options.concurrency ?? 16, async (q) => {
      const result = await this.call('search', () => this.client.queryGroups(this.collection, groupQuery(q, params)));
      return matchesFromGroups(result);
    });
  }

  async stats(): Promise<StoreStats> {
    const count = (kind: string) =>
      this.call('count', () => this.client.count(this.collection, { filter: { must: [eq('kind', kind)] }, exact: true }));
    const [titles, intentions] = await Promise.all([count('title'), count('intention')]);
    return { products: titles.count, intentions: intentions.count, titles: titles.count };
  }

  /**
   * One request, no retries, bounded by min(timeout, 2 s), its outcome shared for pingCacheMs
   * (default 1 s): readiness probes learn within a second when Qdrant goes and comes back, and a
   * flood of probes costs Qdrant one request per second.
   */
  ping(): Promise<void> {
    const now = this.deps.now();
    const ttl = this.options.pingCacheMs ?? 1_000;
    if (this.lastPing && now - this.lastPing.at < ttl) return this.lastPing.result;
    const result = this.probe();
    result.catch(() => {}); // observed by the callers; avoid an unhandled rejection when cached unused
    this.lastPing = { at: now, result };
    return result;
  }

  private async probe(): Promise<void> {
    const limitMs = Math.min(this.options.timeoutMs, 2_000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`Qdrant did not answer within ${limitMs} ms`, this.policy.retryAfterSeconds)), limitMs);
    });
    try {
      const exists = await Promise.race([this.client.collectionExists(this.collection), timeout]);
      if (!exists.exists) throw new StoreUnavailableError(`Qdrant collection "${this.collection}" no longer exists; restart the service to recreate it`);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      throw new StoreUnavailableError(`Qdrant unreachable: ${(err as Error).message}`, this.policy.retryAfterSeconds, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Every point matching `filter`, paged by point id. */
  private async scrollAll(what: string, filter: Filter, withPayload: string[]): Promise<Schemas['Record'][]> {
    const out: Schemas['Record'][] = [];
    let offset: Schemas['ExtendedPointId'] | undefined;
    for (;;) {
      const res = await this.call(what, () =>
        this.client.scroll(this.collection, { filter, limit: SCROLL_PAGE, offset, with_payload: withPayload, with_vector: false }),
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
