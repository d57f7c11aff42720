import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { TextKind } from '../../../core/product.js';
import { compareHits, topProducts, topProductsOverKinds, type TextHit } from './top-products.js';
import type { AnnIndex, AnnIndexFactory } from '../../ann/ann-index.js';
import type { IndexCheckReport } from '../../../core/vector-store.js';
import type { CatalogDb } from '../catalog/catalog-db.js';
import { replayCatalog } from './catalog-replay.js';
import { hydrateHits } from './hit-hydration.js';
import { checkAndRepair } from './index-check.js';
import { IndexMover } from './index-mover.js';
import { IndexSnapshots } from './index-snapshot.js';
import { KindIndex } from './kind-index.js';
import { packedRow } from '../shared/packed-vectors.js';
import { ProductMaps } from '../catalog/product-maps.js';
import type { ReplicaHealth, ReplicaHits, ReplicaOpenInfo, ReplicaSearch, ReplicaWrite, Watermarks } from '../shared/replica-messages.js';
import { KINDS, kindCode, kindOf } from '../shared/text-kinds.js';
import type { Logger } from '../../../core/logger.js';

export interface IndexReplicaOptions {
  /** The catalog, read on open and by checks (a worker opens its own connection to the same file). */
  db: CatalogDb;
  /** Folder of the ANN snapshots. */
  indexDir: string;
  modelId: string;
  dimension: number;
  annFactory: AnnIndexFactory;
  logger: Logger;
  /** Longest one background slice of HNSW inserts may hold this replica's thread. */
  sliceMs: number;
  /** Texts per check searched by their own vector. */
  probesPerCheck: number;
}

/**
 * One complete copy of the searchable index: per text kind the HNSW index and its exact tail
 * (kind-index.ts), the background mover between them (index-mover.ts), and the label → product and
 * product → category maps that turn text hits into products.
 *
 * It runs on the main thread (SEARCH_THREADS=0) or inside a search worker (replica-worker.ts); the
 * store sends it every committed write in commit order (`apply`) and asks it for text hits
 * (`search`). Because a worker handles its messages in order, a search sent after a write's
 * `apply` sees that write: read-your-writes holds across threads without locks.
 */
export class IndexReplica {
  private readonly indexes: Record<TextKind, KindIndex>;
  private readonly mover: IndexMover;
  private readonly snapshots: IndexSnapshots;
  private readonly maps = new ProductMaps();
  private lastCheck?: IndexCheckReport;
  /** Label where the last check's probe window ended; the next one continues after it. */
  private probeCursor = 0;

  private constructor(
    private readonly options: IndexReplicaOptions,
    snapshots: IndexSnapshots,
    anns: Record<TextKind, AnnIndex>,
  ) {
    this.snapshots = snapshots;
    this.indexes = {
      intention: new KindIndex(anns.intention, options.dimension),
      title: new KindIndex(anns.title, options.dimension),
    };
    this.mover = new IndexMover([this.indexes.intention, this.indexes.title], {
      sliceMs: options.sliceMs,
      onFailure: (err, consecutive) => {
        // Every failure counts in the metrics; the log gets the first of a run and then every 100th.
        if (consecutive === 1 || consecutive % 100 === 0) {
          options.logger.warn(
            { err: (err as Error)?.message ?? String(err), consecutive },
            'ANN index call failed; the texts stay searchable in the exact tail and the call is retried',
          );
        }
      },
    });
  }

  /** Loads the latest snapshot (or starts empty), replays the catalog after it, and checks the result. */
  static async open(options: IndexReplicaOptions): Promise<{ replica: IndexReplica; info: ReplicaOpenInfo }> {
    const snapshots = new IndexSnapshots(options.indexDir, options.annFactory);
    const loaded = snapshots.load(options.modelId, options.dimension);
    let anns: Record<TextKind, AnnIndex>;
    let from: Watermarks;
    if ('indexes' in loaded) {
      anns = loaded.indexes;
      from = loaded.watermarks;
    } else {
      const expected = options.db.counts().byKind;
      anns = {
        intention: options.annFactory.create(options.dimension, expected.intention),
        title: options.annFactory.create(options.dimension, expected.title),
      };
      from = { maxLabel: 0, removalSeq: 0 };
      if (options.db.lastLabel() > 0) options.logger.warn({ reason: loaded.reason }, 'rebuilding vector index from the catalog');
    }
    const replica = new IndexReplica(options, snapshots, anns);
    const replayed = replica.loadState(from);
    const check = await replica.checkOnOpen();
    return { replica, info: { ...replayed, check } };
  }

  private loadState(from: Watermarks): { replayedTexts: number; replayedRemovals: number } {
    this.maps.load(this.options.db);
    return replayCatalog(this.options.db, this.indexes, from, () => this.mover.drain());
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
      this.options.logger.warn(
        { kind, extra: report.extra[kind] },
        'index holds texts the catalog does not; rebuilding it from the catalog',
      );
      const expected = this.options.db.counts().byKind[kind];
      this.indexes[kind].reset(this.options.annFactory.create(this.options.dimension, expected));
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
    const { probeEnd, ...report } = await checkAndRepair(this.options.db, this.indexes, {
      betweenPages,
      probes: this.options.probesPerCheck,
      probeAfter: this.probeCursor,
    });
    this.probeCursor = probeEnd;
    return report;
  }

  /**
   * Checks the indexes against the catalog and puts back any missing or unreachable text. The
   * caller must keep the catalog still meanwhile (the store holds its write lock); searches go on
   * between pages.
   */
  async check(): Promise<IndexCheckReport> {
    const report = await this.runCheck(() => yieldToEventLoop());
    const found = KINDS.reduce((n, kind) => n + report.missing[kind] + report.extra[kind] + report.unreachable[kind], 0);
    if (found > 0)
      this.options.logger.warn(
        { ...report },
        'index check found texts the index cannot return (missing and unreachable ones were re-queued)',
      );
    this.mover.schedule();
    this.lastCheck = report;
    return report;
  }

  /**
   * Mirrors one committed write, synchronously and in commit order: removed texts are hidden at
   * once, added ones are searchable at once in the exact tail; the native work is left to the mover.
   */
  apply(write: ReplicaWrite): void {
    this.maps.apply(write);
    const { labels, kinds, vectors } = write.added;
    for (const r of write.removed) this.indexes[kindOf(r.kind)].remove(r.label);
    const dim = this.options.dimension;
    for (const kind of KINDS) {
      const code = kindCode(kind);
      const rowLabels: number[] = [];
      const rowVectors: Float32Array[] = [];
      for (let i = 0; i < labels.length; i++) {
        if (kinds[i] !== code) continue;
        rowLabels.push(labels[i]);
        rowVectors.push(packedRow(vectors, dim, i));
      }
      if (rowLabels.length) this.indexes[kind].add(rowLabels, rowVectors);
    }
    this.mover.schedule();
  }

  /** Per query, the top products over the asked kinds, read from the catalog and exactly scored, best first. */
  search(request: ReplicaSearch): ReplicaHits {
    const accept = request.categories ? this.maps.categoryFilter(request.categories) : undefined;
    const hits = request.queries.map((q) =>
      topProductsOverKinds(request.kinds, request.k, (kind) => this.searchKind(q, kind, request.k, request.threshold, accept)),
    );
    return hydrateHits(this.options.db, request.queries, hits, request.threshold);
  }

  private searchKind(q: Float32Array, kind: TextKind, k: number, threshold: number, accept?: (pid: number) => boolean): TextHit[] {
    const index = this.indexes[kind];
    if (index.isEmpty()) return [];
    return topProducts(
      (n) => {
        const res = index.search(q, n);
        const hits: TextHit[] = [];
        for (let i = 0; i < res.labels.length; i++) {
          const product = this.maps.productOf(res.labels[i]);
          if (product >= 0) hits.push({ product, label: res.labels[i], score: res.scores[i] });
        }
        // Equal scores (products sharing a text) in a fixed order, whichever index held them.
        hits.sort((a, b) => compareHits(a, b) || a.label - b.label);
        return { hits, exhausted: res.exhausted };
      },
      { k, threshold, accept },
    ).products;
  }

  /** Moves the whole backlog into HNSW now; false when the native index failed. */
  drain(): boolean {
    return this.mover.drain();
  }

  /** Resolves once fewer than `texts` texts wait for HNSW (at once while the index is failing). */
  waitBelow(texts: number): Promise<void> {
    return this.mover.waitBelow(texts);
  }

  /**
   * Writes a snapshot holding everything up to `watermarks` (the caller has sent every write up
   * to them and holds the catalog still). The backlog moves into HNSW first; if the native index
   * fails doing so, nothing is written (the previous snapshot stays and the catalog replays the rest).
   */
  snapshot(watermarks: Watermarks): boolean {
    if (!this.mover.drain()) {
      this.options.logger.warn(
        { ...this.mover.backlog() },
        'index snapshot skipped: the ANN index failed while catching up; retrying later',
      );
      return false;
    }
    this.snapshots.save(
      this.options.modelId,
      { intention: this.indexes.intention.annIndex(), title: this.indexes.title.annIndex() },
      watermarks,
    );
    return true;
  }

  health(): ReplicaHealth {
    const backlog = this.mover.backlog();
    const { failures, consecutiveFailures, lastError } = this.mover.stats;
    return {
      pendingTexts: backlog.texts,
      pendingRemovals: backlog.removals,
      indexFailures: failures,
      consecutiveIndexFailures: consecutiveFailures,
      lastIndexError: lastError,
      lastCheck: this.lastCheck,
      memoryBytes: this.indexes.intention.memoryBytes() + this.indexes.title.memoryBytes() + this.maps.byteLength(),
      liveTexts: { intentions: this.indexes.intention.liveSize(), titles: this.indexes.title.liveSize() },
    };
  }

  /** Stops background work; the replica must not be used afterwards. */
  close(): void {
    this.mover.stop();
  }
}
