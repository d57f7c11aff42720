import type { CatalogDb } from './catalog-db.js';
import { CategoryCodes } from './category-codes.js';
import { IntColumn } from './int-column.js';
import type { ReplicaWrite } from '../shared/replica-messages.js';

/**
 * Text label → product and product → category, in Int32Arrays: what turns an index's text hits
 * into live products and tests them against a category filter without asking SQLite. Each thread
 * that searches keeps its own (the store's main thread for exact scans, every index replica),
 * loaded from the catalog and then mirrored from every committed write, in commit order.
 */
export class ProductMaps {
  /** text label → product number, -1 once removed. */
  private readonly labelToPid = new IntColumn(1 << 16);
  /** product number → category code, -1 for none. */
  private readonly pidCategory = new IntColumn(1 << 12);
  private readonly categoryCodes = new CategoryCodes();

  /** Loads the catalog's products and texts, and says how many products; `onText` sees each text loaded (`delta` +1). */
  load(db: CatalogDb, onText?: TextCounter): { products: number } {
    let products = 0;
    for (const { pid, category } of db.allProducts()) {
      this.pidCategory.set(pid, this.categoryCodes.codeOf(category));
      products++;
    }
    for (const { label, pid, kind } of db.allLabels()) {
      this.labelToPid.set(label, pid);
      onText?.(pid, kind, +1);
    }
    return { products };
  }

  /**
   * Mirrors one committed write. `onText` sees each removed text (-1) while its product still has
   * its old category, and each added text (+1) once the product has its new one.
   */
  apply(write: ReplicaWrite, onText?: TextCounter): void {
    for (const r of write.removed) {
      const pid = this.labelToPid.get(r.label);
      if (pid >= 0) onText?.(pid, r.kind, -1);
      this.labelToPid.set(r.label, -1);
    }
    for (const pid of write.deletedPids) this.pidCategory.set(pid, -1);
    for (const p of write.products) this.pidCategory.set(p.pid, this.categoryCodes.codeOf(p.category));
    const { labels, pids, kinds } = write.added;
    for (let i = 0; i < labels.length; i++) {
      this.labelToPid.set(labels[i], pids[i]);
      onText?.(pids[i], kinds[i], +1);
    }
  }

  /** The product of a live text, -1 for a removed (or unknown) one. */
  productOf(label: number): number {
    return this.labelToPid.get(label);
  }

  /** Category code of a product, -1 for none. */
  categoryOf(pid: number): number {
    return this.pidCategory.get(pid);
  }

  /** Codes of the named categories; one never seen gets a code no product has. */
  codesOf(categories: readonly string[]): Set<number> {
    return new Set(categories.map((c) => this.categoryCodes.lookup(c)));
  }

  /** Accepts the products in one of `categories`. */
  categoryFilter(categories: readonly string[]): (pid: number) => boolean {
    const codes = this.codesOf(categories);
    return (pid) => codes.has(this.pidCategory.get(pid));
  }

  byteLength(): number {
    return this.labelToPid.byteLength() + this.pidCategory.byteLength();
  }
}

/** Told of each text a write adds (+1) or removes (-1), with its product and kind code. */
export type TextCounter = (pid: number, kind: number, delta: number) => void;
