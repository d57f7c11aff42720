import type { IndexCheckReport } from '../../core/vector-store.js';
import type { CatalogDb } from './catalog/catalog-db.js';
import type { ReplicaOpenInfo, Watermarks } from './shared/replica-messages.js';
import type { ReplicaSet } from './replicas/replica-set.js';
import type { Logger } from '../../core/logger.js';
import type { WriteGate } from './write-gate.js';

export interface IndexUpkeepParts {
  db: CatalogDb;
  replicas: ReplicaSet;
  gate: WriteGate;
  logger: Logger;
}

/**
 * The store's background care of its indexes: a snapshot whenever there are changes (every
 * snapshotIntervalS, and on close), so a restart replays little of the catalog (index-snapshot.ts);
 * and a check of the indexes against the catalog every checkIntervalS, which puts back any text
 * an index cannot return (index-check.ts) and is kept for indexHealth().
 */
export class IndexUpkeep {
  /** Texts added or removed since the last snapshot (or 1 when open or a check repaired something). */
  private unsaved: number;
  private lastCheck: IndexCheckReport;
  private snapshotTimer?: NodeJS.Timeout;
  private checkTimer?: NodeJS.Timeout;

  constructor(
    private readonly parts: IndexUpkeepParts,
    opened: ReplicaOpenInfo,
  ) {
    this.lastCheck = opened.check;
    this.unsaved = repairedAny(opened.check) || opened.replayedTexts + opened.replayedRemovals > 0 ? 1 : 0;
  }

  /** Starts the timers; an interval of 0 (or none, for snapshots) starts none. */
  start(snapshotIntervalS: number | undefined, checkIntervalS: number): void {
    if (snapshotIntervalS && snapshotIntervalS > 0) {
      this.snapshotTimer = setInterval(() => void this.snapshotIfChanged(), snapshotIntervalS * 1000);
      this.snapshotTimer.unref();
    }
    if (checkIntervalS > 0) {
      this.checkTimer = setInterval(() => void this.check().catch(() => undefined), checkIntervalS * 1000);
      this.checkTimer.unref();
    }
  }

  stop(): void {
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    if (this.checkTimer) clearInterval(this.checkTimer);
  }

  /** Counts texts a write added or removed: the next snapshot has something to save. */
  changed(texts: number): void {
    this.unsaved += texts;
  }

  latestCheck(): IndexCheckReport {
    return this.lastCheck;
  }

  /**
   * Checks the indexes against the catalog and puts back any missing or unreachable text. Holds
   * the write lock (the catalog must not move under the walk); the replicas yield between pages,
   * so searches go on.
   */
  check(): Promise<IndexCheckReport> {
    return this.parts.gate.whileOpen(async () => {
      const report = await this.parts.replicas.check();
      if (repairedAny(report)) this.unsaved++;
      this.lastCheck = report;
      return report;
    });
  }

  /**
   * Writes an index snapshot if anything changed since the last one. The snapshot must contain
   * everything up to its watermarks, so the background backlog is moved into HNSW first; if the
   * native index fails doing so, no snapshot is written (the previous one stays, and the catalog
   * replays the rest on open).
   */
  async snapshotIfChanged(): Promise<void> {
    const { gate, db, replicas, logger } = this.parts;
    await gate.exclusive(async () => {
      if (gate.closed || this.unsaved === 0) return;
      const started = Date.now();
      // Every write up to these watermarks has been handed to the replicas (we hold the write lock).
      const watermarks: Watermarks = { maxLabel: db.lastLabel(), removalSeq: db.lastRemoval() };
      try {
        if (!(await replicas.snapshot(watermarks))) return;
        db.pruneRemovals(watermarks.removalSeq);
      } catch (err) {
        // A full or read-only volume (or any failed save) costs a longer replay on the next open,
        // nothing more: the previous snapshot stays valid, and this runs again next interval. It must
        // not reject: the interval timer would turn that into an unhandled rejection, a crash.
        logger.warn(
          { err: String((err as Error)?.message ?? err), code: (err as { code?: string })?.code },
          'index snapshot failed; retrying later',
        );
        return;
      }
      this.unsaved = 0;
      logger.info({ ms: Date.now() - started, ...watermarks }, 'index snapshot written');
    });
  }
}

/** Whether a check put texts back (so the next snapshot should be written). */
function repairedAny(report: IndexCheckReport): boolean {
  return report.missing.intention + report.missing.title + report.unreachable.intention + report.unreachable.title > 0;
}
