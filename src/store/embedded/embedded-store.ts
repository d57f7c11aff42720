import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Product, TextKind } from '../../core/product.js';
import { compareHits, mergeTopProducts, topProducts, type TextHit } from './top-products.js';
import type { AnnIndexFactory } from '../ann/ann-index.js';
import {
  ModelMismatchError,
  kindsFor,
  type IndexCheckReport,
  type IndexHealth,
  type ProductMatch,
  type ProductUpsert,
  type SearchFilter,
  type SearchOptions,
  type StoreStats,
  type VectorStore,
} from '../../core/vector-store.js';
import { CatalogDb, type WriteEffects } from './catalog-db.js';
import { hydrateHits } from './hit-hydration.js';
import { InlineCatalogWriter, WorkerCatalogWriter, type CatalogWriter } from './catalog-writer.js';
import type { Watermarks } from './index-snapshot.js';
import { IndexReplica } from './index-replica.js';
import { CategoryCodes } from './category-codes.js';
import { IntColumn } from './int-column.js';
import { Mutex } from './mutex.js';
import { packVectors } from './packed-vectors.js';
import { LocalReplicaClient, type ReplicaClient } from './replica-client.js';
import type { ReplicaWrite } from './replica-messages.js';
import { ReplicaSet } from './replica-set.js';
import type { WorkerReplicaConfig } from './worker-protocol.js';
import { kindCode } from './text-kinds.js';
import { cosineWithBlob } from './vector-blob.js';
import { WorkerReplicaClient } from './worker-replica-client.js';

export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface EmbeddedStoreOptions {
  dataDir: string;
  modelId: string;
  dimension: number;
  /** The ANN index of a replica on the main thread (searchThreads 0); tests inject faulty ones here. */
  annFactory: AnnIndexFactory;
  /**
   * Search threads, each a worker holding a replica of the index (default 0: one replica on the
   * main thread). Workers build their ANN index from `annSpec`, since a factory cannot cross threads.
   */
  searchThreads?: number;
  annSpec?: WorkerReplicaConfig['ann'];
  logger?: StoreLogger;
  /** Filters selecting at most this many texts are answered by an exact scan instead of the ANN. */
  exactScanLimit?: number;
  /** Seconds between background snapshots when there are changes (0: only on close). */
  snapshotIntervalS?: number;
  /** Seconds between checks of the indexes against the catalog (0: only on open). Default 300. */
  checkIntervalS?: number;
  /** Longest one background slice of HNSW inserts may hold a replica's thread. Default 8 ms (main thread), 5 ms (worker). */
  indexSliceMs?: number;
  /** Texts per check searched by their own vector to prove the ANN index can return them. Default 2000. */
  probesPerCheck?: number;
  /** A search worker silent this long is taken for hung, abandoned and replaced (0: never). Default 30 s. */
  searchStallMs?: number;
  /**
   * Writers wait while more texts than this wait for HNSW, so the exact tail (scanned by every
   * search) stays small; a failing index never makes them wait. Default 8192.
   */
  maxPendingTexts?: number;
}

const silent: StoreLogger = { info() {}, warn() {} };

interface ResolvedFilter {
  accept: (pid: number) => boolean;
  /** Set when the filter names products: small enough to scan exactly. */
  pids?: number[];
  categories?: string[];
  /** Texts of each kind the filter can select (upper bound), to choose exact scan vs ANN. */
  estimate: (kind: TextKind) => number;
}

/**
 * The default store: SQLite holds products, texts and vectors (the truth); index replicas
 * (index-replica.ts: per text kind an HNSW index plus an exact tail of the newest texts) answer
 * searches, on the main thread or in search worker threads (replica-set.ts).
 *
 * Guarantees (see the README's "What the store guarantees"):
 * - A write is acknowledged once its SQLite transaction has committed and it has been handed, in
 *   commit order, to every replica, which puts its texts in the exact tail before it answers any
 *   later search: everything acknowledged is durable and searchable. The write path makes no
 *   native index call, so an ANN failure can neither fail a write nor hide what it wrote.
 * - HNSW inserts and removals run in the background (index-mover.ts), retried until they succeed,
 *   on the replica's own thread: with search workers, never on the thread that serves HTTP.
 * - On open and every checkIntervalS the indexes are checked against the catalog and any missing
 *   text is put back (index-check.ts); the result is reported by indexHealth().
 * See catalog-db.ts for durability and index-snapshot.ts for how the indexes are persisted.
 */
export class EmbeddedStore implements VectorStore {
  readonly backend = 'embedded';
  readonly modelId: string;
  readonly dimension: number;
  private readonly db: CatalogDb;
  private replicas!: ReplicaSet;
  /** Runs the write transactions: in a writer thread whenever there are search workers. */
  private writer!: CatalogWriter;
  private readonly maxPendingTexts: number;
  private lastCheck?: IndexCheckReport;
  private checkTimer?: NodeJS.Timeout;
  private readonly logger: StoreLogger;
  private readonly exactScanLimit: number;
  private readonly writes = new Mutex();
  /** text label → product number, -1 once removed. */
  private readonly labelToPid = new IntColumn(1 << 16);
  /** product number → category code, -1 for none. */
  private readonly pidCategory = new IntColumn(1 << 12);
  private readonly categoryCodes = new CategoryCodes();
  /** category code → live text count per kind code. */
  private readonly categoryTexts = new Map<number, [number, number]>();
  private readonly counts = { products: 0, texts: [0, 0] as [number, number] };
  private unsaved = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  private constructor(options: EmbeddedStoreOptions, db: CatalogDb) {
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.logger = options.logger ?? silent;
    this.exactScanLimit = options.exactScanLimit ?? 10_000;
    this.maxPendingTexts = options.maxPendingTexts ?? 8192;
    this.db = db;
  }

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    const logger = options.logger ?? silent;
    mkdirSync(options.dataDir, { recursive: true });
    const catalogPath = join(options.dataDir, 'catalog.sqlite');
    const db = new CatalogDb(catalogPath);
    let store: EmbeddedStore | undefined;
    try {
      checkModel(db, options);
      store = new EmbeddedStore(options, db);
      store.loadState();
      const threads = options.searchThreads ?? 0;
      if (threads > 0 && !options.annSpec) throw new Error('searchThreads > 0 needs annSpec: search workers build their own ANN index');
      const indexDir = join(options.dataDir, 'index');
      const replicaOptions = {
        indexDir,
        modelId: options.modelId,
        dimension: options.dimension,
        probesPerCheck: options.probesPerCheck ?? 2000,
      };
      const self = store;
      let set: ReplicaSet | undefined;
      const spawn = async (): Promise<ReplicaClient> => {
        if (threads === 0) {
          const { replica, info } = await IndexReplica.open({ ...replicaOptions, db, annFactory: options.annFactory, logger, sliceMs: options.indexSliceMs ?? 8 });
          return new LocalReplicaClient(replica, info);
        }
        return WorkerReplicaClient.start(
          // A search waits for the slice in progress on its worker: short slices keep that wait small.
          { ...replicaOptions, catalogPath, ann: options.annSpec!, sliceMs: options.indexSliceMs ?? 5, healthIntervalMs: 250 },
          logger,
          (client, code) => set?.replaceLater(client, code),
        );
      };
      set = await ReplicaSet.open(Math.max(1, threads), { spawn, exclusive: (fn) => self.writes.run(fn), logger, stallMs: options.searchStallMs });
      store.replicas = set;
      store.writer = threads > 0 ? await WorkerCatalogWriter.start(catalogPath) : new InlineCatalogWriter(db);
      const info = set.openInfo()!;
      store.lastCheck = info.check;
      if (repairedAny(info.check) || info.replayedTexts + info.replayedRemovals > 0) store.unsaved++;
      logger.info(
        {
          products: store.counts.products,
          intentions: store.counts.texts[0],
          titles: store.counts.texts[1],
          searchThreads: threads,
          replayedTexts: info.replayedTexts,
          replayedRemovals: info.replayedRemovals,
          check: info.check,
        },
        'embedded store open',
      );
      if (options.snapshotIntervalS && options.snapshotIntervalS > 0) {
        store.timer = setInterval(() => void store!.snapshotIfChanged(), options.snapshotIntervalS * 1000);
        store.timer.unref();
      }
      const checkEvery = options.checkIntervalS ?? 300;
      if (checkEvery > 0) {
        store.checkTimer = setInterval(() => void store!.checkIndexes().catch(() => undefined), checkEvery * 1000);
        store.checkTimer.unref();
      }
      return store;
    } catch (err) {
      await store?.replicas?.close().catch(() => undefined);
      db.close();
      throw err;
    }
  }

  /** Builds the in-memory maps the main thread keeps (counts, categories for filters). */
  private loadState(): void {
    for (const { pid, category } of this.db.allProducts()) {
      this.pidCategory.set(pid, this.categoryCodes.codeOf(category));
      this.counts.products++;
    }
    for (const { label, pid, kind } of this.db.allLabels()) {
      this.labelToPid.set(label, pid);
      this.countText(pid, kind, +1);
    }
  }

  /**
   * Checks the indexes against the catalog and puts back any missing or unreachable text; runs
   * every checkIntervalS. Holds the write lock (the catalog must not move under the walk); the
   * replicas yield between pages, so searches go on.
   */
  async checkIndexes(): Promise<IndexCheckReport> {
    return this.writes.run(async () => {
      this.assertOpen();
      const report = await this.replicas.check();
      if (repairedAny(report)) this.unsaved++;
      this.lastCheck = report;
      return report;
    });
  }

  /**
   * Moves every committed text into the ANN index now (waiting for writes in progress). For
   * callers that want the steady state at once, e.g. before a benchmark build; false when the
   * native index failed (the rest stays searchable in the tail and is retried).
   */
  async flushIndex(): Promise<boolean> {
    return this.writes.run(() => {
      this.assertOpen();
      return this.replicas.drain();
    });
  }

  /** Backlog, failures and the latest check, for /readyz and metrics (summed or worst over replicas). */
  indexHealth(): IndexHealth {
    const { memoryBytes: _bytes, liveTexts: _live, lastCheck, ...health } = this.replicas.health();
    return { ...health, lastCheck: lastCheck ?? this.lastCheck };
  }

  /**
   * Fault injection for tests: ends search worker `slot` as a crash would; resolves once its
   * replacement has loaded the catalog and serves.
   */
  async crashSearchWorker(slot: number): Promise<void> {
    // The worker's exit listener (which starts the replacement) runs before terminate() resolves,
    // so the replacement is already registered when crash() returns.
    await this.replicas.crash(slot);
    await this.replicas.settled();
  }

  /** Fault injection for tests: holds search worker `slot`'s thread for `ms`, as a hung native call would. */
  stallSearchWorker(slot: number, ms: number): void {
    this.replicas.stall(slot, ms);
  }

  async contentHashes(ids: readonly string[]): Promise<Map<string, string>> {
    return this.db.hashes(ids);
  }

  async upsert(items: readonly ProductUpsert[]): Promise<void> {
    for (const item of items) {
      for (const t of item.texts) {
        if (t.vector.length !== this.dimension) {
          throw new ModelMismatchError(`vector of dimension ${t.vector.length} for product ${item.product.id}; store expects ${this.dimension}`);
        }
      }
    }
    await this.writes.run(async () => {
      this.assertOpen();
      // Backpressure: writers go at the pace of HNSW inserts, so the exact tail stays small.
      await this.replicas.waitBelow(this.maxPendingTexts);
      this.assertOpen();
      const effects = await this.writer.writeProducts(items.map((i) => ({ product: i.product, hash: i.contentHash, texts: i.texts })));
      this.apply(effects);
    });
  }

  async get(id: string): Promise<Product | undefined> {
    return this.db.getProduct(id);
  }

  async listProducts(page: { after?: string; limit: number }): Promise<Product[]> {
    this.assertOpen();
    return this.db.productsAfter(page.after ?? '', page.limit);
  }

  async delete(id: string): Promise<boolean> {
    return this.writes.run(async () => {
      this.assertOpen();
      const effects = await this.writer.deleteProduct(id);
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
    for (const r of effects.removed) {
      const pid = this.labelToPid.get(r.label);
      if (pid >= 0) this.countText(pid, r.kind, -1);
      this.labelToPid.set(r.label, -1);
    }
    for (const pid of effects.deletedPids) {
      this.pidCategory.set(pid, -1);
      this.counts.products--;
    }
    for (const p of effects.products) {
      if (p.inserted) this.counts.products++;
      this.pidCategory.set(p.pid, this.categoryCodes.codeOf(p.category));
    }
    for (const a of effects.added) {
      this.labelToPid.set(a.label, a.pid);
      this.countText(a.pid, a.kind, +1);
    }
    this.replicas.apply(replicaWrite(effects, this.dimension));
    this.unsaved += effects.added.length + effects.removed.length;
  }

  async search(queries: readonly Float32Array[], options: SearchOptions): Promise<ProductMatch[][]> {
    this.assertOpen();
    const filter = options.filter ? this.resolveFilter(options.filter) : undefined;
    const kinds = kindsFor(options.match);
    for (const q of queries) {
      if (q.length !== this.dimension) throw new ModelMismatchError(`query of dimension ${q.length}; store expects ${this.dimension}`);
    }
    return this.searchHits(queries, kinds, options, filter);
  }

  /**
   * Products per query: a selective filter is answered here by an exact scan of its texts in
   * SQLite; everything else by a replica (in a search worker when there are any), which reads the
   * matched texts and rescores them itself.
   */
  private async searchHits(queries: readonly Float32Array[], kinds: TextKind[], options: SearchOptions, filter?: ResolvedFilter): Promise<ProductMatch[][]> {
    const exact = filter !== undefined && kinds.every((kind) => filter.estimate(kind) <= this.exactScanLimit);
    if (filter && exact) {
      const hits = queries.map((q) => {
        const lists = kinds.map((kind) => this.exactSearch(q, kind, options.k, options.threshold, filter));
        return lists.length === 1 ? lists[0] : mergeTopProducts(lists, options.k);
      });
      return hydrateHits(this.db, queries, hits, options.threshold);
    }
    return this.replicas.search({ queries: [...queries], kinds, k: options.k, threshold: options.threshold, categories: filter?.categories });
  }

  /** Exact scan over the texts a (selective) filter allows, reading their vectors from SQLite. */
  private exactSearch(q: Float32Array, kind: TextKind, k: number, threshold: number, filter: ResolvedFilter): TextHit[] {
    const rows = filter.pids ? this.db.textsOfProducts(filter.pids, kind) : this.db.textsOfCategories(filter.categories ?? [], kind);
    const hits: TextHit[] = [];
    for (const row of rows) {
      if (this.labelToPid.get(row.label) < 0 || !filter.accept(row.pid)) continue;
      const score = cosineWithBlob(q, row.vector);
      if (score >= threshold) hits.push({ product: row.pid, label: row.label, score });
    }
    hits.sort((a, b) => compareHits(a, b) || a.label - b.label);
    return topProducts(() => ({ hits, exhausted: true }), { k, threshold }).products;
  }

  private resolveFilter(filter: SearchFilter): ResolvedFilter | undefined {
    const hasIds = filter.productIds !== undefined;
    const hasCategories = filter.categories !== undefined;
    if (!hasIds && !hasCategories) return undefined;
    const codes = hasCategories ? new Set(filter.categories!.map((c) => this.categoryCodes.lookup(c))) : undefined;
    const inCategory = (pid: number) => !codes || codes.has(this.pidCategory.get(pid));
    if (hasIds) {
      const pids = this.db.pidsOf(filter.productIds!).filter(inCategory);
      const allowed = new Set(pids);
      return { accept: (pid) => allowed.has(pid), pids, estimate: () => 0 };
    }
    return {
      accept: inCategory,
      categories: filter.categories,
      estimate: (kind) => {
        let n = 0;
        for (const code of codes!) n += this.categoryTexts.get(code)?.[kindCode(kind)] ?? 0;
        return n;
      },
    };
  }

  async stats(): Promise<StoreStats> {
    return { products: this.counts.products, intentions: this.counts.texts[0], titles: this.counts.texts[1] };
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
    return this.replicas.health().memoryBytes + this.labelToPid.byteLength() + this.pidCategory.byteLength();
  }

  /**
   * Writes an index snapshot if anything changed since the last one. The snapshot must contain
   * everything up to its watermarks, so the background backlog is moved into HNSW first; if the
   * native index fails doing so, no snapshot is written (the previous one stays, and the catalog
   * replays the rest on open).
   */
  async snapshotIfChanged(): Promise<void> {
    await this.writes.run(async () => {
      if (this.closed || this.unsaved === 0) return;
      const started = Date.now();
      // Every write up to these watermarks has been handed to the replicas (we hold the write lock).
      const watermarks: Watermarks = { maxLabel: this.db.lastLabel(), removalSeq: this.db.lastRemoval() };
      if (!(await this.replicas.snapshot(watermarks))) return;
      this.db.pruneRemovals(watermarks.removalSeq);
      this.unsaved = 0;
      this.logger.info({ ms: Date.now() - started, ...watermarks }, 'index snapshot written');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    if (this.checkTimer) clearInterval(this.checkTimer);
    await this.snapshotIfChanged();
    await this.writes.run(async () => {
      this.closed = true;
      await this.replicas.close();
      await this.writer.close();
      this.db.close();
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }

  private countText(pid: number, kind: number, delta: number): void {
    this.counts.texts[kind] += delta;
    const code = this.pidCategory.get(pid);
    if (code < 0) return;
    let c = this.categoryTexts.get(code);
    if (!c) this.categoryTexts.set(code, (c = [0, 0]));
    c[kind] += delta;
  }
}

function checkModel(db: CatalogDb, options: EmbeddedStoreOptions): void {
  const model = db.getMeta('model_id');
  const dimension = db.getMeta('dimension');
  if (model === undefined) {
    db.setMeta('model_id', options.modelId);
    db.setMeta('dimension', String(options.dimension));
    return;
  }
  if (model !== options.modelId || Number(dimension) !== options.dimension) {
    throw new ModelMismatchError(
      `The store in ${options.dataDir} holds vectors from model "${model}" (${dimension} dimensions), ` +
        `but the active embedder is "${options.modelId}" (${options.dimension} dimensions). Vectors of different models ` +
        `cannot be compared. Either select the original model again (EMBEDDER / MODEL_ID), point DATA_DIR at another ` +
        `folder, or delete ${options.dataDir} and ingest the catalog again.`,
    );
  }
}

/** Whether a check put texts back (so the next snapshot should be written). */
function repairedAny(report: IndexCheckReport): boolean {
  return report.missing.intention + report.missing.title + report.unreachable.intention + report.unreachable.title > 0;
}

/** A write as the replicas need it: vectors packed into one array, so posting it to a worker is one copy. */
function replicaWrite(effects: WriteEffects, dimension: number): ReplicaWrite {
  const n = effects.added.length;
  const vectors =
    effects.packedVectors?.length === n * dimension
      ? effects.packedVectors
      : packVectors(
          effects.added.map((a) => a.vector),
          n,
          dimension,
        );
  return {
    removed: effects.removed,
    deletedPids: effects.deletedPids,
    products: effects.products.map((p) => ({ pid: p.pid, category: p.category })),
    added: { labels: effects.added.map((a) => a.label), pids: effects.added.map((a) => a.pid), kinds: effects.added.map((a) => a.kind), vectors },
  };
}
