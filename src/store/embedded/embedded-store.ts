import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Product, TextKind } from '../../catalog/product.js';
import { compareHits, mergeTopProducts, topProducts, type TextHit } from '../../align/top-products.js';
import type { AnnIndex, AnnIndexFactory } from '../ann/ann-index.js';
import {
  ModelMismatchError,
  kindsFor,
  type ProductMatch,
  type ProductUpsert,
  type SearchFilter,
  type SearchOptions,
  type StoreStats,
  type VectorStore,
} from '../vector-store.js';
import { CatalogDb, kindCode, kindOf, vectorFromBlob, type TextRow, type WriteEffects } from './catalog-db.js';
import { IndexSnapshots, type Watermarks } from './index-snapshot.js';
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
}

const KINDS: TextKind[] = ['intention', 'title'];
const ANN_CHUNK = 512;
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
 * The default store: SQLite holds products, texts and vectors (the truth); one in-process ANN index
 * per text kind answers searches. See catalog-db.ts for durability and index-snapshot.ts for how
 * the indexes are persisted and replayed.
 */
export class EmbeddedStore implements VectorStore {
  readonly backend = 'embedded';
  readonly modelId: string;
  readonly dimension: number;
  private readonly db: CatalogDb;
  private readonly snapshots: IndexSnapshots;
  private readonly indexes: Record<TextKind, AnnIndex>;
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

  private constructor(options: EmbeddedStoreOptions, db: CatalogDb, snapshots: IndexSnapshots, indexes: Record<TextKind, AnnIndex>, applied: Watermarks) {
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.logger = options.logger ?? silent;
    this.exactScanLimit = options.exactScanLimit ?? 10_000;
    this.db = db;
    this.snapshots = snapshots;
    this.indexes = indexes;
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
      logger.info(
        { products: store.counts.products, intentions: store.counts.texts[0], titles: store.counts.texts[1], ...replayed },
        'embedded store open',
      );
      if (options.snapshotIntervalS && options.snapshotIntervalS > 0) {
        store.timer = setInterval(() => void store.snapshotIfChanged(), options.snapshotIntervalS * 1000);
        store.timer.unref();
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
    let replayedTexts = 0;
    let batch: TextRow[] = [];
    const flush = () => {
      for (const kind of KINDS) {
        const rows = batch.filter((r) => r.kind === kindCode(kind));
        if (rows.length) this.indexes[kind].add(rows.map((r) => r.label), rows.map((r) => vectorFromBlob(r.vector)));
      }
      replayedTexts += batch.length;
      batch = [];
    };
    for (const row of this.db.textsAfter(from.maxLabel)) {
      batch.push(row);
      if (batch.length >= ANN_CHUNK * 8) flush();
    }
    flush();
    const removals = this.db.removalsAfter(from.removalSeq);
    for (const r of removals) this.indexes[kindOf(r.kind)].remove(r.label);
    this.applied = { maxLabel: this.db.lastLabel(), removalSeq: this.db.lastRemoval() };
    this.unsaved = replayedTexts + removals.length;
    return { replayedTexts, replayedRemovals: removals.length };
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
      const effects = this.db.writeProducts(items.map((i) => ({ product: i.product, hash: i.contentHash, texts: i.texts })));
      await this.apply(effects);
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
      await this.apply(effects);
      return true;
    });
  }

  /**
   * Mirrors a committed write in memory. The label and category maps change synchronously, in the
   * same tick as the commit, so searches never return a removed text; the ANN work is then done in
   * chunks that yield to the event loop so a big batch does not stall concurrent requests.
   */
  private async apply(effects: WriteEffects): Promise<void> {
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
      for (let i = 0; i < rows.length; i += ANN_CHUNK) {
        const chunk = rows.slice(i, i + ANN_CHUNK);
        this.indexes[kind].add(chunk.map((a) => a.label), chunk.map((a) => a.vector));
        if (i + ANN_CHUNK < rows.length) await yieldToEventLoop();
      }
    }
    this.applied = { maxLabel: this.db.lastLabel(), removalSeq: this.db.lastRemoval() };
    this.unsaved += effects.added.length + effects.removed.length;
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
    return perQuery.map((hits) => {
      const out: ProductMatch[] = [];
      for (const h of hits) {
        const row = matched.get(h.label);
        if (!row) continue; // removed between the search and this read
        out.push({
          productId: row.id,
          title: row.title,
          category: row.category,
          score: h.score,
          matched: { kind: kindOf(row.kind), text: row.text },
        });
      }
      return out;
    });
  }

  private searchKind(q: Float32Array, kind: TextKind, k: number, threshold: number, filter?: ResolvedFilter): TextHit[] {
    if (filter && filter.estimate(kind) <= this.exactScanLimit) return this.exactSearch(q, kind, k, threshold, filter);
    const index = this.indexes[kind];
    const size = index.size();
    if (size === 0) return [];
    return topProducts(
      (n) => {
        const res = index.search(q, n);
        const hits: TextHit[] = [];
        for (let i = 0; i < res.labels.length; i++) {
          const product = this.labelToPid.get(res.labels[i]);
          if (product >= 0) hits.push({ product, label: res.labels[i], score: res.scores[i] });
        }
        return { hits, exhausted: res.labels.length < n };
      },
      { k, threshold, accept: filter?.accept, maxDepth: size },
    ).products;
  }

  /** Exact scan over the texts a (selective) filter allows, reading their vectors from SQLite. */
  private exactSearch(q: Float32Array, kind: TextKind, k: number, threshold: number, filter: ResolvedFilter): TextHit[] {
    const rows = filter.pids ? this.db.textsOfProducts(filter.pids, kind) : this.db.textsOfCategories(filter.categories ?? [], kind);
    const hits: TextHit[] = [];
    for (const row of rows) {
      if (this.labelToPid.get(row.label) < 0 || !filter.accept(row.pid)) continue;
      const v = row.vector;
      // Dot product straight off the blob, avoiding a copy per row.
      let score = 0;
      for (let i = 0; i < q.length; i++) score += q[i] * v.readFloatLE(i * 4);
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

  /** Vectors in each in-memory index: after recovery these must equal the catalog's text counts. */
  indexedCounts(): { intentions: number; titles: number } {
    return { intentions: this.indexes.intention.size(), titles: this.indexes.title.size() };
  }

  /** Bytes held by the indexes and in-memory maps (for metrics). */
  memoryBytes(): number {
    return this.indexes.intention.memoryBytes() + this.indexes.title.memoryBytes() + this.labelToPid.byteLength() + this.pidCategory.byteLength();
  }

  /** Writes an index snapshot if anything changed since the last one. */
  async snapshotIfChanged(): Promise<void> {
    await this.writes.run(() => {
      if (this.closed || this.unsaved === 0) return;
      const started = Date.now();
      const watermarks = this.applied;
      this.snapshots.save(this.modelId, this.indexes, watermarks);
      this.db.pruneRemovals(watermarks.removalSeq);
      this.unsaved = 0;
      this.logger.info({ ms: Date.now() - started, ...watermarks }, 'index snapshot written');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.snapshotIfChanged();
    await this.writes.run(() => {
      this.closed = true;
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
