/** The one method of a better-sqlite3 connection this needs. */
export interface PragmaConnection {
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

/**
 * Fault injection for tests: caps a SQLite connection's file at its current size (max_page_count;
 * SQLite will not set it below the size), so a write that needs a new page fails with SQLITE_FULL
 * as on a full volume, with no root and no real disk; lifting the cap restores the former limit.
 * Used by the catalog and the embedding cache (issue 24's full-disk tests).
 */
export class SqliteGrowthCap {
  private uncappedPages?: number;

  constructor(private readonly db: PragmaConnection) {}

  set(capped: boolean): void {
    if (capped) {
      this.uncappedPages ??= this.db.pragma('max_page_count', { simple: true }) as number;
      this.db.pragma('max_page_count = 1');
    } else if (this.uncappedPages !== undefined) {
      this.db.pragma(`max_page_count = ${this.uncappedPages}`);
      this.uncappedPages = undefined;
    }
  }
}
