import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Product, TextKind } from '../../catalog/product.js';
import { compareHits, mergeTopProducts, topProducts, type TextHit } from '../../align/top-products.js';
import type { AnnIndex, AnnIndexFactory } from '../ann/ann-index.js';
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
} from '../vector-store.js';
import { CatalogDb, kindCode, kindOf, vectorFromBlob, type MatchedRow, type TextRow, type WriteEffects } from './catalog-db.js';
import { checkAndRepair } from './index-check.js';
import { IndexMover } from './index-mover.js';
import { IndexSnapshots, type Watermarks } from './index-snapshot.js';
import { KindIndex } from './kind-index.js';
import { IntColumn } from './int-column.js';
import { Mutex } from './mutex.js';

export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface EmbeddedStoreOptions {
  dataDir: string;
  modelId: string;
  dimension: number;
  annFactory: AnnIndexFactory;
  logger?: StoreLogger;
  /** Filters selecting at most this many texts are answered by an exact scan instead of the ANN. */
  exactScanLimit?: number;
  /** Seconds between background snapshots when there are changes (0: only on close). */
  snapshotIntervalS?: number;
  /** Seconds between checks of the indexes against the catalog (0: only on open). Default 300. */
  checkIntervalS?: number;
  /** Longest one background slice of HNSW inserts may hold the event loop. Default 8 ms. */
  indexSliceMs?: number;
  /** Texts per check searched by their own vector to prove the ANN index can return them. Default 2000. */
  probesPerCheck?: number;
  /**
   * Writers wait while more texts than this wait for HNSW, so the exact tail (scanned by every
   * search) stays small; a failing index never makes them wait. Default 8192.
   */
  maxPendingTexts?: number;
}

const KINDS: TextKind[] = ['intention', 'title'];
const REPLAY_CHUNK = 4096;
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
 * The default store: SQLite holds products, texts and vectors (the truth); per text kind, an
 * in-process HNSW index plus an exact tail of the newest texts answers searches (kind-index.ts).
 *
 * Guarantees (see the README's "What the store guarantees"):
 * - A write is acknowledged once its SQLite transaction has committed and its texts are in the
 *   exact tail, so everything acknowledged is durable and searchable; the write path makes no
 *   native index call, so an ANN failure can neither fail a write nor hide what it wrote.
 * - HNSW inserts and removals run in the background (index-mover.ts), retried until they succeed.
 * - On open and every checkIntervalS the indexes are checked against the catalog and any missing
 *   text is put back (index-check.ts); the result is reported by indexHealth().
 * See catalog-db.ts for durability and index-snapshot.ts for how the indexes are persisted.
 */
export class EmbeddedStore implements VectorStore {
  readonly backend = 'embedded';
  readonly modelId: string;
  readonly dimension: number;
  private readonly db: CatalogDb;
  private readonly snapshots: IndexSnapshots;
  private readonly indexes: Record<TextKind, KindIndex>;
  private readonly mover: IndexMover;
  private readonly annFactory: AnnIndexFactory;
  private readonly maxPendingTexts: number;
  private lastCheck?: IndexCheckReport;
  private readonly probesPerCheck: number;
  /** Label where the last check's probe window ended; the next one continues after it. */
  private probeCursor = 0;
  private checkTimer?: NodeJS.Timeout;
  private readonly logger: StoreLogger;
  private readonly exactScanLimit: number;
  private readonly writes = new Mutex();
  /** text label → product number, -1 once removed (checked on every hit, so stale ANN entries never leak). */
  private readonly labelToPid = new IntColumn(1 << 16);
  /** product number → category code, -1 for none. */
  private readonly pidCategory = new IntColumn(1 << 12);
  private readonly categoryCodes = new Map<string, number>();
  /** category code → live text count per kind code. */
  private readonly categoryTexts = new Map<number, [number, number]>();
  private readonly counts = { products: 0, texts: [0, 0] as [number, number] };
  private applied: Watermarks;
  private unsaved = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  private constructor(options: EmbeddedStoreOptions, db: CatalogDb, snapshots: IndexSnapshots, anns: Record<TextKind, AnnIndex>, applied: Watermarks) {
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.logger = options.logger ?? silent;
    this.exactScanLimit = options.exactScanLimit ?? 10_000;
    this.maxPendingTexts = options.maxPendingTexts ?? 8192;
    this.probesPerCheck = options.probesPerCheck ?? 2000;
    this.annFactory = options.annFactory;
    this.db = db;
    this.snapshots = snapshots;
    this.indexes = {
      intention: new KindIndex(anns.intention, options.dimension),
      title: new KindIndex(anns.title, options.dimension),
    };
    this.mover = new IndexMover([this.indexes.intention, this.indexes.title], {
      sliceMs: options.indexSliceMs ?? 8,
      onFailure: (err, consecutive) => {
        // Every failure counts in the metrics; the log gets the first of a run and then every 100th.
        if (consecutive === 1 || consecutive % 100 === 0) {
          this.logger.warn({ err: (err as Error)?.message ?? String(err), consecutive }, 'ANN index call failed; the texts stay searchable in the exact tail and the call is retried');
        }
      },
    });
    this.applied = applied;
  }

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    const logger = options.logger ?? silent;
    mkdirSync(options.dataDir, { recursive: true });
    const db = new CatalogDb(join(options.dataDir, 'catalog.sqlite'));
    try {
      checkModel(db, options);
      const snapshots = new IndexSnapshots(join(options.dataDir, 'index'), options.annFactory);
      const loaded = snapshots.load(options.modelId, options.dimension);
      let indexes: Record<TextKind, AnnIndex>;
      let from: Watermarks;
      if ('indexes' in loaded) {
        indexes = loaded.indexes;
        from = loaded.watermarks;
      } else {
        const expected = db.counts().byKind;
        indexes = {
          intention: options.annFactory.create(options.dimension, expected.get(0) ?? 0),
          title: options.annFactory.create(options.dimension, expected.get(1) ?? 0),
        };
        from = { maxLabel: 0, removalSeq: 0 };
        if (db.lastLabel() > 0) logger.warn({ reason: loaded.reason }, 'rebuilding vector index from the catalog');
      }
      const store = new EmbeddedStore(options, db, snapshots, indexes, from);
      const replayed = store.loadState(from);
      const check = await store.checkOnOpen();
      logger.info(
        { products: store.counts.products, intentions: store.counts.texts[0], titles: store.counts.texts[1], ...replayed, check },
        'embedded store open',
      );
      if (options.snapshotIntervalS && options.snapshotIntervalS > 0) {
        store.timer = setInterval(() => void store.snapshotIfChanged(), options.snapshotIntervalS * 1000);
        store.timer.unref();
      }
      const checkEvery = options.checkIntervalS ?? 300;
      if (checkEvery > 0) {
        store.checkTimer = setInterval(() => void store.checkIndexes().catch(() => undefined), checkEvery * 1000);
        store.checkTimer.unref();
      }
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Builds the in-memory maps and brings the indexes up to date with the catalog. */
  private loadState(from: Watermarks): { replayedTexts: number; replayedRemovals: number } {
    for (const { pid, category } of this.db.allProducts()) {
      this.pidCategory.set(pid, this.categoryCode(category));
      this.counts.products++;
    }
    for (const { label, pid, kind } of this.db.allLabels()) {
      this.labelToPid.set(label, pid);
      this.countText(pid, kind, +1);
    }
    // Replay what the snapshot lacks: removals first (their labels may be in the snapshot), then
    // texts written after it, in chunks so the exact tail never holds the whole catalog at once.
    const removals = this.db.removalsAfter(from.removalSeq);
    for (const r of removals) this.indexes[kindOf(r.kind)].remove(r.label);
    let replayedTexts = 0;
    let batch: TextRow[] = [];
    const flush = () => {
      for (const kind of KINDS) {
        const rows = batch.filter((r) => r.kind === kindCode(kind));
        if (rows.length) this.indexes[kind].add(rows.map((r) => r.label), rows.map((r) => vectorFromBlob(r.vector)));
      }
      replayedTexts += batch.length;
      batch = [];
      this.mover.drain();
    };
    for (const row of this.db.textsAfter(from.maxLabel)) {
      batch.push(row);
      if (batch.length >= REPLAY_CHUNK) flush();
    }
    flush();
    this.applied = { maxLabel: this.db.lastLabel(), removalSeq: this.db.lastRemoval() };
    this.unsaved = replayedTexts + removals.length;
    return { replayedTexts, replayedRemovals: removals.length };
  }

  /**
   * Checks the indexes against the catalog before serving. Missing texts are put back; a kind
   * whose HNSW index holds entries the catalog lacks (which no ANN library here can list, so they
   * cannot be removed one by one) is rebuilt from the catalog.
   */
  private async checkOnOpen(): Promise<IndexCheckReport> {
    let report = await this.runCheck();
    for (const kind of KINDS) {
      if (report.extra[kind] === 0) continue;
      this.logger.warn({ kind, extra: report.extra[kind] }, 'index holds texts the catalog does not; rebuilding it from the catalog');
      this.indexes[kind].reset(this.annFactory.create(this.dimension, this.counts.texts[kindCode(kind)]));
      this.unsaved++;
    }
    if (KINDS.some((kind) => report.extra[kind] > 0)) {
      const before = report;
      report = { ...(await this.runCheck()), extra: before.extra };
    }
    this.mover.drain();
    this.mover.schedule(); // retries whatever a failing index left behind
    this.lastCheck = report;
    return report;
  }

  private async runCheck(betweenPages?: () => Promise<void>): Promise<IndexCheckReport> {
    const { probeEnd, ...report } = await checkAndRepair(this.db, this.indexes, {
      betweenPages,
      probes: this.probesPerCheck,
      probeAfter: this.probeCursor,
    });
    this.probeCursor = probeEnd;
    const repaired = KINDS.reduce((n, kind) => n + report.missing[kind] + report.unreachable[kind], 0);
    if (repaired > 0) this.unsaved++;
    return report;
  }

  /**
   * Checks the indexes against the catalog and puts back any missing or unreachable text; runs
   * every checkIntervalS. Holds the write lock (the catalog must not move under the walk) but
   * yields to the event loop between pages, so searches go on.
   */
  async checkIndexes(): Promise<IndexCheckReport> {
    return this.writes.run(async () => {
      this.assertOpen();
      const report = await this.runCheck(() => yieldToEventLoop());
      const found = KINDS.reduce((n, kind) => n + report.missing[kind] + report.extra[kind] + report.unreachable[kind], 0);
      if (found > 0) this.logger.warn({ ...report }, 'index check found texts the index cannot return (missing and unreachable ones were re-queued)');
      this.mover.schedule();
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
      return this.mover.drain();
    });
  }

  /** Backlog, failures and the latest check, for /readyz and metrics. */
  indexHealth(): IndexHealth {
    const backlog = this.mover.backlog();
    const { failures, consecutiveFailures, lastError } = this.mover.stats;
    return {
      pendingTexts: backlog.texts,
      pendingRemovals: backlog.removals,
      indexFailures: failures,
      consecutiveIndexFailures: consecutiveFailures,
      lastIndexError: lastError,
      lastCheck: this.lastCheck,
    };
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
      await this.mover.waitBelow(this.maxPendingTexts);
      this.assertOpen();
      const effects = this.db.writeProducts(items.map((i) => ({ product: i.product, hash: i.contentHash, texts: i.texts })));
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
      const effects = this.db.deleteProduct(id);
      if (!effects) return false;
      this.apply(effects);
      return true;
    });
  }

  /**
   * Mirrors a committed write in memory, synchronously, in the same tick as the commit: searches
   * never return a removed text and always find an added one (in the exact tail). Only plain
   * JavaScript runs here; the native index work is queued for the background mover.
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
      this.pidCategory.set(p.pid, this.categoryCode(p.category));
    }
    for (const a of effects.added) {
      this.labelToPid.set(a.label, a.pid);
      this.countText(a.pid, a.kind, +1);
    }
    for (const r of effects.removed) this.indexes[kindOf(r.kind)].remove(r.label);
    for (const kind of KINDS) {
      const code = kindCode(kind);
      const rows = effects.added.filter((a) => a.kind === code);
      if (rows.length) this.indexes[kind].add(rows.map((a) => a.label), rows.map((a) => a.vector));
    }
    this.applied = { maxLabel: this.db.lastLabel(), removalSeq: this.db.lastRemoval() };
    this.unsaved += effects.added.length + effects.removed.length;
    this.mover.schedule();
  }

  async search(queries: readonly Float32Array[], options: SearchOptions): Promise<ProductMatch[][]> {
    this.assertOpen();
    const filter = options.filter ? this.resolveFilter(options.filter) : undefined;
    const kinds = kindsFor(options.match);
    const perQuery: TextHit[][] = queries.map((q) => {
      if (q.length !== this.dimension) throw new ModelMismatchError(`query of dimension ${q.length}; store expects ${this.dimension}`);
      const lists = kinds.map((kind) => this.searchKind(q, kind, options.k, options.threshold, filter));
      return lists.length === 1 ? lists[0] : mergeTopProducts(lists, options.k);
    });
    const matched = this.db.matchedTexts(perQuery.flatMap((hits) => hits.map((h) => h.label)));
    return perQuery.map((hits, qi) => {
      const scored: { hit: TextHit; row: MatchedRow }[] = [];
      for (const h of hits) {
        const row = matched.get(h.label);
        if (!row) continue; // removed between the search and this read
        // Scores are the exact cosines of the stored vectors, whichever index found the text (an
        // f16 HNSW index, or the exact tail before the text moved there): a product's score does
        // not change when the background mover indexes it, nor with the index's quantization.
        const score = cosineWithBlob(queries[qi], row.vector);
        if (score >= options.threshold) scored.push({ hit: { ...h, score }, row });
      }
      scored.sort((a, b) => compareHits(a.hit, b.hit));
      return scored.map(({ hit, row }) => ({
        productId: row.id,
        title: row.title,
        category: row.category,
        score: hit.score,
        matched: { kind: kindOf(row.kind), text: row.text },
      }));
    });
  }

  private searchKind(q: Float32Array, kind: TextKind, k: number, threshold: number, filter?: ResolvedFilter): TextHit[] {
    if (filter && filter.estimate(kind) <= this.exactScanLimit) return this.exactSearch(q, kind, k, threshold, filter);
    const index = this.indexes[kind];
    if (index.isEmpty()) return [];
    return topProducts(
      (n) => {
        const res = index.search(q, n);
        const hits: TextHit[] = [];
        for (let i = 0; i < res.labels.length; i++) {
          const product = this.labelToPid.get(res.labels[i]);
          if (product >= 0) hits.push({ product, label: res.labels[i], score: res.scores[i] });
        }
        // Equal scores (products sharing a text) in a fixed order, whichever index held them.
        hits.sort((a, b) => compareHits(a, b) || a.label - b.label);
        return { hits, exhausted: res.exhausted };
      },
      { k, threshold, accept: filter?.accept },
    ).products;
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
    const codes = hasCategories ? new Set(filter.categories!.map((c) => this.categoryCodes.get(c) ?? -2)) : undefined;
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

  /** Texts each kind's indexes can return: after recovery these must equal the catalog's text counts. */
  indexedCounts(): { intentions: number; titles: number } {
    return { intentions: this.indexes.intention.liveSize(), titles: this.indexes.title.liveSize() };
  }

  /** Bytes held by the indexes and in-memory maps (for metrics). */
  memoryBytes(): number {
    return this.indexes.intention.memoryBytes() + this.indexes.title.memoryBytes() + this.labelToPid.byteLength() + this.pidCategory.byteLength();
  }

  /**
   * Writes an index snapshot if anything changed since the last one. The snapshot must contain
   * everything up to its watermarks, so the background backlog is moved into HNSW first; if the
   * native index fails doing so, no snapshot is written (the previous one stays, and the catalog
   * replays the rest on open).
   */
  async snapshotIfChanged(): Promise<void> {
    await this.writes.run(() => {
      if (this.closed || this.unsaved === 0) return;
      const started = Date.now();
      if (!this.mover.drain()) {
        this.logger.warn({ ...this.mover.backlog() }, 'index snapshot skipped: the ANN index failed while catching up; retrying later');
        return;
      }
      const watermarks = this.applied;
      this.snapshots.save(this.modelId, { intention: this.indexes.intention.annIndex(), title: this.indexes.title.annIndex() }, watermarks);
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
    await this.writes.run(() => {
      this.closed = true;
      this.mover.stop();
      this.db.close();
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }

  private categoryCode(category: string | null): number {
    if (category === null) return -1;
    let code = this.categoryCodes.get(category);
    if (code === undefined) {
      code = this.categoryCodes.size;
      this.categoryCodes.set(category, code);
    }
    return code;
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

/** Cosine of a query and a stored vector, read straight off the SQLite blob (no copy per row). */
function cosineWithBlob(q: Float32Array, blob: Buffer): number {
  let dotProduct = 0;
  let qq = 0;
  let vv = 0;
  for (let i = 0; i < q.length; i++) {
    const v = blob.readFloatLE(i * 4);
    dotProduct += q[i] * v;
    qq += q[i] * q[i];
    vv += v * v;
  }
  return qq > 0 && vv > 0 ? dotProduct / Math.sqrt(qq * vv) : 0;
}
