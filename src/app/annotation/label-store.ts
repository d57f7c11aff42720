import Database from 'better-sqlite3';
import type { BinaryLabel } from '../../annotation/agreement.js';
import type { AnnotationTask } from '../../annotation/annotation-items.js';
import type { AnnotationRow } from '../../annotation/annotation-results.js';

/** The label file's name inside the candidate set directory (the set's own files are never written). */
export const LABELS_FILE = 'labels.sqlite';

/**
 * Human labels in one SQLite file (WAL, synchronous=FULL). One row per (annotator, item): open
 * while the item is on the annotator's screen, then labelled or skipped. Every change is its own
 * transaction and is committed before the caller answers, so an acknowledged label survives a
 * SIGKILL or a power loss. `seq` orders changes (for undo and for resuming the item on screen).
 */
export class LabelStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // Several annotators, one process: writes are serialised by the event loop; the timeout only
    // matters if another process (a script reading the file) holds a lock.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS annotations (
        annotator TEXT NOT NULL,
        item_id TEXT NOT NULL,
        task TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'labelled', 'skipped')),
        label INTEGER CHECK (label IN (0, 1)),
        seq INTEGER NOT NULL UNIQUE,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (annotator, item_id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS annotations_by_task ON annotations (task, annotator);
    `);
    const upsert = this.db.prepare(`
      INSERT INTO annotations (annotator, item_id, task, status, label, seq, updated_at)
      VALUES (@annotator, @itemId, @task, @status, @label, (SELECT coalesce(max(seq), 0) + 1 FROM annotations), @now)
      ON CONFLICT (annotator, item_id) DO UPDATE SET task = excluded.task, status = excluded.status, label = excluded.label, seq = excluded.seq, updated_at = excluded.updated_at`);
    this.stmts = {
      upsert,
      openIfNew: this.db.prepare(`
        INSERT INTO annotations (annotator, item_id, task, status, label, seq, updated_at)
        VALUES (@annotator, @itemId, @task, 'open', NULL, (SELECT coalesce(max(seq), 0) + 1 FROM annotations), @now)
        ON CONFLICT (annotator, item_id) DO NOTHING`),
      open: this.db.prepare(
        `SELECT item_id AS itemId FROM annotations WHERE task = ? AND annotator = ? AND status = 'open' ORDER BY seq DESC LIMIT 1`,
      ),
      last: this.db.prepare(
        `SELECT item_id AS itemId FROM annotations WHERE task = ? AND annotator = ? AND status != 'open' ORDER BY seq DESC LIMIT 1`,
      ),
      rows: this.db.prepare(`SELECT item_id AS itemId, annotator, status, label FROM annotations WHERE task = ?`),
      one: this.db.prepare(`SELECT status, label FROM annotations WHERE annotator = ? AND item_id = ?`),
    };
  }

  /** Records that the item is on the annotator's screen (no change if they have seen it before). */
  markShown(annotator: string, task: AnnotationTask, itemId: string): void {
    this.stmts.openIfNew.run({ annotator, itemId, task, now: new Date().toISOString() });
  }

  /** Stores (or replaces) a label; committed when this returns. */
  label(annotator: string, task: AnnotationTask, itemId: string, label: BinaryLabel): void {
    this.stmts.upsert.run({ annotator, itemId, task, status: 'labelled', label, now: new Date().toISOString() });
  }

  skip(annotator: string, task: AnnotationTask, itemId: string): void {
    this.stmts.upsert.run({ annotator, itemId, task, status: 'skipped', label: null, now: new Date().toISOString() });
  }

  /** The item on the annotator's screen (most recently opened), if any. */
  openItem(annotator: string, task: AnnotationTask): string | undefined {
    return (this.stmts.open.get(task, annotator) as { itemId: string } | undefined)?.itemId;
  }

  /**
   * Takes back the annotator's latest label or skip in the task: the item is open again (its label
   * removed) and becomes the one on screen. Returns its id, or undefined when there is nothing to undo.
   */
  undo(annotator: string, task: AnnotationTask): string | undefined {
    return this.db.transaction(() => {
      const last = this.stmts.last.get(task, annotator) as { itemId: string } | undefined;
      if (!last) return undefined;
      this.stmts.upsert.run({ annotator, itemId: last.itemId, task, status: 'open', label: null, now: new Date().toISOString() });
      return last.itemId;
    })();
  }

  /** Every row of a task (all annotators). */
  rows(task: AnnotationTask): AnnotationRow[] {
    return this.stmts.rows.all(task) as AnnotationRow[];
  }

  get(annotator: string, itemId: string): Pick<AnnotationRow, 'status' | 'label'> | undefined {
    return this.stmts.one.get(annotator, itemId) as Pick<AnnotationRow, 'status' | 'label'> | undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
