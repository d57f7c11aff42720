import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProductUpsert } from '../../core/vector-store.js';
import { CatalogDb } from './catalog/catalog-db.js';

/**
 * A reader of an embedded store's catalog for migrations: pages of products in id order with their
 * content hashes and stored vectors. It opens only the SQLite catalog (the source of truth), not the
 * ANN indexes, so it needs no index memory and no embedder, and it can run beside a server using
 * the same folder (SQLite WAL lets readers and one writer share the file). The file is opened
 * read-write, as the store opens it (the schema check and the WAL set-up need that), but this class
 * issues no writes.
 */
export class EmbeddedExport {
  private constructor(
    private readonly db: CatalogDb,
    readonly modelId: string,
    readonly dimension: number,
  ) {}

  /** `dataDir` is the embedded store's folder (DATA_DIR/embedded). */
  static open(dataDir: string): EmbeddedExport {
    const file = join(dataDir, 'catalog.sqlite');
    if (!existsSync(file)) throw new Error(`no embedded store at ${dataDir} (expected ${file}); check DATA_DIR / --data-dir`);
    const db = new CatalogDb(file);
    const modelId = db.getMeta('model_id');
    const dimension = Number(db.getMeta('dimension'));
    if (modelId === undefined || !Number.isInteger(dimension) || dimension <= 0) {
      db.close();
      throw new Error(`the embedded store at ${dataDir} records no model; it has never been written to`);
    }
    return new EmbeddedExport(db, modelId, dimension);
  }

  productCount(): number {
    return this.db.counts().products;
  }

  /** Up to `limit` products with id > `after` (all from the start when undefined), ascending. */
  page(after: string | undefined, limit: number): ProductUpsert[] {
    return this.db.exportAfter(after ?? '', limit).map((p) => ({ product: p.product, contentHash: p.hash, texts: p.texts }));
  }

  close(): void {
    this.db.close();
  }
}
