import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Product, TextKind } from '../../core/product.js';
import {
  kindsFor,
  type IndexCheckReport,
  type IndexHealth,
  type LexicalMatch,
  type LexicalSearchOptions,
  type ProductMatch,
  type ScoredText,
  type StoredText,
  type ProductUpsert,
  type SearchOptions,
  type StoreStats,
  type VectorStore,
} from '../../core/vector-store.js';
import { CatalogDb, type WriteEffects } from './catalog/catalog-db.js';
import { CatalogMirror } from './catalog/catalog-mirror.js';
import { claimModel } from './catalog/catalog-model.js';
import type { CatalogWriter } from './catalog/catalog-writer.js';
import { ExactScan } from './index/exact-scan.js';
import { IndexUpkeep } from './index-upkeep.js';
import type { ReplicaSet } from './replicas/replica-set.js';
import { replicaWriteOf } from './catalog/replica-write.js';
import { resolveFilter } from './catalog/search-filter.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { searchThreadsOf } from './search-placement.js';
import type { EmbeddedStoreOptions, StorageGuard } from './store-options.js';
import { asStorageFullError } from '../../util/storage-errors.js';
import { startReplicas, startWriter } from './store-wiring.js';
import { WriteGate } from './write-gate.js';
import { ModelMismatchError } from '../../core/errors.js';

export type { EmbeddedStoreOptions };

/** What an open store is made of (EmbeddedStore.open builds them). */
interface StoreParts {
  db: CatalogDb;
  mirror: CatalogMirror;
  gate: WriteGate;
  replicas: ReplicaSet;
  writer: CatalogWriter;
  logger: Logger;
}

/**
 * The default store: SQLite holds products, texts and vectors (the truth); index replicas
 * (index-replica.ts: per text kind an HNSW index plus an exact tail of the newest texts) answer
 * searches, on the main thread or in search worker threads (replica-set.ts, store-wiring.ts).
 *
 * Guarantees (docs/architecture.md, "What the embedded store guarantees"):
 * - A write is acknowledged once its SQLite transaction has committed and it has been handed, in
 *   commit order, to every replica, which puts its texts in the exact tail before it answers any
 *   later search: everything acknowledged is durable and searchable. The write path makes no
 *   native index call, so an ANN failure can neither fail a write nor hide what it wrote.
 * - HNSW inserts and removals run in the background (index-mover.ts), retried until they succeed,
 *   on the replica's own thread: with search workers, never on the thread that serves HTTP.
 * - On open and every checkIntervalS the indexes are checked against the catalog and any missing
 *   text is put back (index-check.ts, index-upkeep.ts); the result is reported by indexHealth().
 * See catalog-schema.ts for durability and index-snapshot.ts for how the indexes are persisted.
 */
export class EmbeddedStore implements VectorStore {
  readonly backend = 'embedded';
  readonly modelId: string;
  readonly dimension: number;
  private readonly db: CatalogDb;
  /** This thread's copy of the catalog's maps and counts (filters, stats). */
  private readonly mirror: CatalogMirror;
  private readonly gate: WriteGate;
  private readonly replicas: ReplicaSet;
  /** Runs the write transactions: in a writer thread whenever there are search workers. */
  private readonly writer: CatalogWriter;
  private readonly upkeep: IndexUpkeep;
  private readonly exactScan: ExactScan;
  private readonly maxPendingTexts: number;
  private readonly storage?: StorageGuard;

  private constructor(options: EmbeddedStoreOptions, parts: StoreParts) {
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.maxPendingTexts = options.maxPendingTexts ?? 8192;
    this.storage = options.storage;
    this.db = parts.db;
    this.mirror = parts.mirror;
    this.gate = parts.gate;
    this.replicas = parts.replicas;
    this.writer = parts.writer;
    this.exactScan = new ExactScan(parts.db, parts.mirror.maps, options.exactScanLimit ?? 10_000);
    this.upkeep = new IndexUpkeep(parts, parts.replicas.openInfo);
  }

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    const logger = options.logger ?? silentLogger;
    mkdirSync(options.dataDir, { recursive: true });
    const catalogPath = join(options.dataDir, 'catalog.sqlite');
    const db = new CatalogDb(catalogPath);
    let replicas: ReplicaSet | undefined;
    try {
      claimModel(db, options);
      const mirror = CatalogMirror.load(db);
      const gate = new WriteGate();
      replicas = await startReplicas(options, { db, catalogPath, logger, exclusive: (fn) => gate.exclusive(fn) });
      const writer = await startWriter(options, db, catalogPath);
      const store = new EmbeddedStore(options, { db, mirror, gate, replicas, writer, logger });
      const { products, intentions, titles } = mirror.stats();
      const info = replicas.openInfo;
      logger.info(
        {
          products,
          intentions,
          titles,
          searchThreads: searchThreadsOf(options),
          replayedTexts: info.replayedTexts,
          replayedRemovals: info.replayedRemovals,
          check: info.check,
        },
        'embedded store open',
      );
      store.upkeep.start(options.snapshotIntervalS, options.checkIntervalS ?? 300);
      return store;
    } catch (err) {
      await replicas?.close().catch(() => undefined);
      db.close();
      throw err;
    }
  }

  async contentHashes(ids: readonly string[]): Promise<Map<string, string>> {
    return this.db.hashes(ids);
  }

  async upsert(items: readonly ProductUpsert[]): Promise<void> {
    for (const item of items) {
      for (const t of item.texts) {
        if (t.vector.length !== this.dimension) {
          throw new ModelMismatchError(
            `vector of dimension ${t.vector.length} for product ${item.product.id}; store expects ${this.dimension}`,
          );
        }
      }
    }
    await this.gate.whileOpen(async () => {
      // Backpressure: writers go at the pace of HNSW inserts, so the exact tail stays small.
      await this.replicas.waitBelow(this.maxPendingTexts);
      this.gate.assertOpen();
      const effects = await this.stored('The write', async () => {
        await this.storage?.assertRoom('The write');
        return this.writer.writeProducts(items.map((i) => ({ product: i.product, hash: i.contentHash, texts: i.texts })));
      });
      this.apply(effects);
    });
  }

  /**
   * Runs a catalog transaction; a volume that cannot take it (full, over quota, read-only) makes it
   * a StorageFullError. SQLite rolled the transaction back, and apply() never ran, so neither the
   * catalog nor any index holds a text of it. No floor here for deletes: they are how space is freed.
   */
  private async stored<T>(what: string, write: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await write();
    } catch (err) {
      const refusal = asStorageFullError(err, what);
      if (!refusal) throw err;
      this.storage?.recordRefusal(refusal);
      throw refusal;
    }
    this.storage?.recordSuccess();
    return result;
  }

  async get(id: string): Promise<Product | undefined> {
    return this.db.getProduct(id);
  }

  async listProducts(page: { after?: string; limit: number }): Promise<Product[]> {
    this.gate.assertOpen();
    return this.db.productsAfter(page.after ?? '', page.limit);
  }

  async delete(id: string): Promise<boolean> {
    return this.gate.whileOpen(async () => {
      const effects = await this.stored('The delete', () => this.writer.deleteProduct(id));
      if (!effects) return false;
      this.apply(effects);
      return true;
    });
  }

  /**
   * Mirrors a committed write in memory, synchronously, in the same tick as the commit, and hands
   * it to every replica in commit order: searches never return a removed text and always find an
   * added one (in a replica's exact tail). Only plain JavaScript runs on this thread; the native
   * index work is queued for the replicas' background movers.
   */
  private apply(effects: WriteEffects): void {
    const write = replicaWriteOf(effects, this.dimension);
    this.mirror.apply(write, effects.products.filter((p) => p.inserted).length);
    this.replicas.apply(write);
    this.upkeep.changed(effects.added.length + effects.removed.length);
  }

  /**
   * Products per query: a selective filter is answered here by an exact scan of its texts in
   * SQLite (exact-scan.ts); everything else by a replica (in a search worker when there are any),
   * which reads the matched texts and rescores them itself.
   */
  async search(queries: readonly Float32Array[], options: SearchOptions): Promise<ProductMatch[][]> {
    this.gate.assertOpen();
    const filter = options.filter ? resolveFilter(options.filter, this.mirror, this.db) : undefined;
    const kinds = kindsFor(options.match);
    this.assertQueryDimensions(queries);
    if (filter && this.exactScan.covers(filter, kinds)) return this.exactScan.search(queries, kinds, options, filter);
    return this.replicas.search({
      queries: [...queries],
      kinds,
      k: options.k,
      threshold: options.threshold,
      categories: filter?.categories,
    });
  }

  /** Stored texts and vectors of the given products, read by a replica's connection (text-search.ts). */
  async productTexts(ids: readonly string[], kinds: readonly TextKind[]): Promise<Map<string, StoredText[]>> {
    this.gate.assertOpen();
    if (!ids.length) return new Map();
    return this.replicas.read({ op: 'productTexts', ids: [...ids], kinds: [...kinds] });
  }

  /** Cosines of the given products' stored texts per query, computed on a replica's thread next to the vectors (text-search.ts). */
  async scoreTexts(
    queries: readonly Float32Array[],
    productIds: readonly (readonly string[])[],
    kinds: readonly TextKind[],
  ): Promise<Map<string, ScoredText[]>[]> {
    this.gate.assertOpen();
    this.assertQueryDimensions(queries);
    if (!queries.length) return [];
    return this.replicas.read({
      op: 'scoreTexts',
      queries: [...queries],
      productIds: productIds.map((ids) => [...ids]),
      kinds: [...kinds],
    });
  }

  /** BM25 per query through SQLite FTS5, run by a replica like a search (text-search.ts); filters as in search(). */
  async lexicalSearch(queries: readonly string[], options: LexicalSearchOptions): Promise<LexicalMatch[][]> {
    this.gate.assertOpen();
    if (!queries.length) return [];
    const { productIds, categories } = options.filter ?? {};
    return this.replicas.read({
      op: 'lexical',
      queries: [...queries],
      kinds: kindsFor(options.match),
      k: options.k,
      filter: { productIds, categories },
    });
  }

  private assertQueryDimensions(queries: readonly Float32Array[]): void {
    for (const q of queries) {
      if (q.length !== this.dimension) throw new ModelMismatchError(`query of dimension ${q.length}; store expects ${this.dimension}`);
    }
  }

  async stats(): Promise<StoreStats> {
    return this.mirror.stats();
  }

  /** Checks the indexes against the catalog now (index-upkeep.ts); runs every checkIntervalS anyway. */
  checkIndexes(): Promise<IndexCheckReport> {
    return this.upkeep.check();
  }

  /** Writes an index snapshot if anything changed since the last one (index-upkeep.ts). */
  snapshotIfChanged(): Promise<void> {
    return this.upkeep.snapshotIfChanged();
  }

  /**
   * Moves every committed text into the ANN index now (waiting for writes in progress). For
   * callers that want the steady state at once, e.g. before a benchmark build; false when the
   * native index failed (the rest stays searchable in the tail and is retried).
   */
  flushIndex(): Promise<boolean> {
    return this.gate.whileOpen(() => this.replicas.drain());
  }

  /** Backlog, failures and the latest check, for /readyz and metrics (summed or worst over replicas). */
  indexHealth(): IndexHealth {
    const { memoryBytes: _bytes, liveTexts: _live, lastCheck, ...health } = this.replicas.health();
    return { ...health, lastCheck: lastCheck ?? this.upkeep.latestCheck() };
  }

  /**
   * Texts each kind's indexes can return (the least over the replicas, as they last reported):
   * after recovery these must equal the catalog's text counts.
   */
  indexedCounts(): { intentions: number; titles: number } {
    return this.replicas.health().liveTexts;
  }

  /** Bytes held by the indexes of every replica and by this thread's maps (for metrics). */
  memoryBytes(): number {
    return this.replicas.health().memoryBytes + this.mirror.memoryBytes();
  }

  /**
   * Fault injection for tests: true makes the catalog behave as on a full volume (a write that
   * needs a new page fails with SQLITE_FULL, catalog-db.ts capGrowth); false gives the space back.
   */
  simulateFullDisk(full: boolean): Promise<void> {
    return this.writer.capGrowth(full);
  }

  async close(): Promise<void> {
    if (this.gate.closed) return;
    this.upkeep.stop();
    await this.upkeep.snapshotIfChanged();
    await this.gate.close(async () => {
      await this.replicas.close();
      await this.writer.close();
      this.db.close();
    });
  }
}
