import type Database from 'better-sqlite3';
import type { Product, TextKind } from '../../../core/product.js';
import { openCatalogFile } from './catalog-schema.js';
import { kindCode, kindOf } from '../shared/text-kinds.js';
import { blobOf, vectorFromBlob } from '../shared/vector-blob.js';
import { SqliteGrowthCap } from '../../../util/sqlite-growth-cap.js';

/**
 * The embedded store's source of truth: products, their texts and vectors, in SQLite
 * (catalog-schema.ts has the tables and what makes a commit durable). Every query and transaction
 * of the catalog is here; each thread that reads or writes it opens its own CatalogDb.
 *
 * The ANN index is a derived cache that can always be rebuilt from here, so every acknowledged
 * write only has to reach this database.
 */

export interface TextRow {
  label: number;
  pid: number;
  kind: number;
  vector: Buffer;
}

export interface MatchedRow {
  label: number;
  kind: number;
  text: string;
  vector: Buffer;
  id: string;
  title: string;
  category: string | null;
}

interface ProductRow {
  pid: number;
  id: string;
  title: string;
  category: string | null;
  intentions: string;
  attributes: string | null;
  hash: string;
}

export interface NewText {
  kind: TextKind;
  text: string;
  vector: Float32Array;
}

export interface ExportedProduct {
  product: Product;
  hash: string;
  texts: NewText[];
}

export interface WriteEffects {
  added: { label: number; pid: number; kind: number; vector: Float32Array }[];
  removed: { label: number; kind: number }[];
  /** Product number → category (null when none), for every product written. */
  products: { pid: number; category: string | null; inserted: boolean }[];
  deletedPids: number[];
  /** Every added vector in one array, in `added` order, when the writer already packed them (see catalog-writer.ts). */
  packedVectors?: Float32Array;
}

export class CatalogDb {
  readonly db: Database.Database;
  private readonly stmt;

  private growthCap?: SqliteGrowthCap;
  constructor(path: string) {
    this.db = openCatalogFile(path);
    const db = this.db;
    this.stmt = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      hashes: db.prepare<[string], { id: string; hash: string }>(
        'SELECT id, hash FROM products WHERE id IN (SELECT value FROM json_each(?))',
      ),
      productById: db.prepare<[string], ProductRow>('SELECT * FROM products WHERE id = ?'),
      productsAfter: db.prepare<[string, number], ProductRow>('SELECT * FROM products WHERE id > ? ORDER BY id LIMIT ?'),
      textsForExport: db.prepare<[number], { kind: number; text: string; vector: Buffer }>(
        'SELECT kind, text, vector FROM texts WHERE pid = ? ORDER BY label',
      ),
      insertProduct: db.prepare(
        'INSERT INTO products (id, title, category, intentions, attributes, hash) VALUES (@id, @title, @category, @intentions, @attributes, @hash)',
      ),
      updateProduct: db.prepare(
        'UPDATE products SET title = @title, category = @category, intentions = @intentions, attributes = @attributes, hash = @hash WHERE pid = @pid',
      ),
      deleteProduct: db.prepare('DELETE FROM products WHERE pid = ?'),
      textLabelsOf: db.prepare<[number], { label: number; kind: number }>('SELECT label, kind FROM texts WHERE pid = ?'),
      deleteTextsOf: db.prepare('DELETE FROM texts WHERE pid = ?'),
      logRemoval: db.prepare('INSERT INTO removals (label, kind) VALUES (?, ?)'),
      insertText: db.prepare('INSERT INTO texts (pid, kind, text, vector) VALUES (?, ?, ?, ?)'),
      matched: db.prepare<[string], MatchedRow>(
        `SELECT t.label, t.kind, t.text, t.vector, p.id, p.title, p.category
           FROM texts t JOIN products p ON p.pid = t.pid
          WHERE t.label IN (SELECT value FROM json_each(?))`,
      ),
      countProducts: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM products'),
      countTexts: db.prepare<[], { kind: number; n: number }>('SELECT kind, count(*) AS n FROM texts GROUP BY kind'),
      pidsOfIds: db.prepare<[string], { pid: number }>('SELECT pid FROM products WHERE id IN (SELECT value FROM json_each(?))'),
      textsOfPids: db.prepare<[string, number], TextRow>(
        'SELECT label, pid, kind, vector FROM texts WHERE pid IN (SELECT value FROM json_each(?)) AND kind = ?',
      ),
      textsOfCategories: db.prepare<[string, number], TextRow>(
        `SELECT t.label, t.pid, t.kind, t.vector FROM texts t JOIN products p ON p.pid = t.pid
          WHERE p.category IN (SELECT value FROM json_each(?)) AND t.kind = ?`,
      ),
      textsAfter: db.prepare<[number], TextRow>('SELECT label, pid, kind, vector FROM texts WHERE label > ? ORDER BY label'),
      removalsAfter: db.prepare<[number], { rid: number; label: number; kind: number }>(
        'SELECT rid, label, kind FROM removals WHERE rid > ? ORDER BY rid',
      ),
      pruneRemovals: db.prepare('DELETE FROM removals WHERE rid <= ?'),
      maxLabel: db.prepare<[], { m: number | null }>('SELECT max(label) AS m FROM texts'),
      maxRemoval: db.prepare<[], { m: number | null }>('SELECT max(rid) AS m FROM removals'),
      seqOf: db.prepare<[string], { seq: number }>('SELECT seq FROM sqlite_sequence WHERE name = ?'),
      allLabels: db.prepare<[], { label: number; pid: number; kind: number }>('SELECT label, pid, kind FROM texts'),
      labelsAfter: db.prepare<[number, number], { label: number; kind: number }>(
        'SELECT label, kind FROM texts WHERE label > ? ORDER BY label LIMIT ?',
      ),
      textsByLabels: db.prepare<[string], TextRow>(
        'SELECT label, pid, kind, vector FROM texts WHERE label IN (SELECT value FROM json_each(?)) ORDER BY label',
      ),
      allProducts: db.prepare<[], { pid: number; category: string | null }>('SELECT pid, category FROM products'),
    };
  }

  getMeta(key: string): string | undefined {
    return this.stmt.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  hashes(ids: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const row of this.stmt.hashes.all(JSON.stringify(ids))) out.set(row.id, row.hash);
    return out;
  }

  getProduct(id: string): Product | undefined {
    const row = this.stmt.productById.get(id);
    return row ? productOf(row) : undefined;
  }

  /** Products with id > `after` in id order (the primary-key index makes each page a range scan). */
  productsAfter(after: string, limit: number): Product[] {
    return this.stmt.productsAfter.all(after, limit).map(productOf);
  }

  /**
   * Products with id > `after` in id order, each with its content hash and its texts with their
   * vectors: everything a migration to another store needs, without re-embedding. Read in one
   * transaction so a page is a consistent snapshot even while a server writes to the same file.
   */
  exportAfter(after: string, limit: number): ExportedProduct[] {
    return this.db.transaction(() =>
      this.stmt.productsAfter.all(after, limit).map((row) => ({
        product: productOf(row),
        hash: row.hash,
        texts: this.stmt.textsForExport.all(row.pid).map((t) => ({ kind: kindOf(t.kind), text: t.text, vector: vectorFromBlob(t.vector) })),
      })),
    )();
  }

  /** Writes a batch of products with their texts in one transaction and reports what changed. */
  writeProducts(items: readonly { product: Product; hash: string; texts: NewText[] }[]): WriteEffects {
    const effects: WriteEffects = { added: [], removed: [], products: [], deletedPids: [] };
    const tx = this.db.transaction(() => {
      for (const { product, hash, texts } of items) {
        const values = {
          id: product.id,
          title: product.title,
          category: product.category ?? null,
          intentions: JSON.stringify(product.intentions),
          attributes: product.attributes === undefined ? null : JSON.stringify(product.attributes),
          hash,
        };
        const existing = this.stmt.productById.get(product.id);
        let pid: number;
        if (existing) {
          pid = existing.pid;
          this.removeTextsOf(pid, effects);
          this.stmt.updateProduct.run({ ...values, pid });
        } else {
          pid = Number(this.stmt.insertProduct.run(values).lastInsertRowid);
        }
        effects.products.push({ pid, category: values.category, inserted: !existing });
        for (const t of texts) {
          const code = kindCode(t.kind);
          const label = Number(this.stmt.insertText.run(pid, code, t.text, blobOf(t.vector)).lastInsertRowid);
          effects.added.push({ label, pid, kind: code, vector: t.vector });
        }
      }
    });
    tx.immediate();
    return effects;
  }

  /** Deletes a product and its texts; undefined when the product does not exist. */
  deleteProduct(id: string): WriteEffects | undefined {
    const effects: WriteEffects = { added: [], removed: [], products: [], deletedPids: [] };
    let found = false;
    this.db
      .transaction(() => {
        const existing = this.stmt.productById.get(id);
        if (!existing) return;
        found = true;
        this.removeTextsOf(existing.pid, effects);
        this.stmt.deleteProduct.run(existing.pid);
        effects.deletedPids.push(existing.pid);
      })
      .immediate();
    return found ? effects : undefined;
  }

  private removeTextsOf(pid: number, effects: WriteEffects): void {
    for (const { label, kind } of this.stmt.textLabelsOf.all(pid)) {
      this.stmt.logRemoval.run(label, kind);
      effects.removed.push({ label, kind });
    }
    this.stmt.deleteTextsOf.run(pid);
  }

  matchedTexts(labels: readonly number[]): Map<number, MatchedRow> {
    const out = new Map<number, MatchedRow>();
    for (const row of this.stmt.matched.all(JSON.stringify(labels))) out.set(row.label, row);
    return out;
  }

  /** Products, and texts per kind (a kind with no texts counts 0). */
  counts(): { products: number; byKind: Record<TextKind, number> } {
    const byKind: Record<TextKind, number> = { intention: 0, title: 0 };
    for (const row of this.stmt.countTexts.all()) byKind[kindOf(row.kind)] = row.n;
    return { products: this.stmt.countProducts.get()!.n, byKind };
  }

  pidsOf(ids: readonly string[]): number[] {
    return this.stmt.pidsOfIds.all(JSON.stringify(ids)).map((r) => r.pid);
  }

  textsOfProducts(pids: readonly number[], kind: TextKind): TextRow[] {
    return this.stmt.textsOfPids.all(JSON.stringify(pids), kindCode(kind));
  }

  textsOfCategories(categories: readonly string[], kind: TextKind): TextRow[] {
    return this.stmt.textsOfCategories.all(JSON.stringify(categories), kindCode(kind));
  }

  textsAfter(label: number): IterableIterator<TextRow> {
    return this.stmt.textsAfter.iterate(label);
  }

  removalsAfter(rid: number): { rid: number; label: number; kind: number }[] {
    return this.stmt.removalsAfter.all(rid);
  }

  pruneRemovals(upToRid: number): void {
    this.stmt.pruneRemovals.run(upToRid);
  }

  /** Highest label ever assigned (AUTOINCREMENT's counter), 0 for an empty store. */
  lastLabel(): number {
    return this.stmt.seqOf.get('texts')?.seq ?? 0;
  }

  lastRemoval(): number {
    return this.stmt.seqOf.get('removals')?.seq ?? 0;
  }

  allLabels(): IterableIterator<{ label: number; pid: number; kind: number }> {
    return this.stmt.allLabels.iterate();
  }

  /**
   * One page of text labels above `label`, in label order. Paged, not iterated, so a long walk
   * can yield to the event loop between pages (an open iterator keeps the connection busy and
   * every other statement would fail meanwhile).
   */
  labelsAfter(label: number, limit: number): { label: number; kind: number }[] {
    return this.stmt.labelsAfter.all(label, limit);
  }

  textsByLabels(labels: readonly number[]): TextRow[] {
    return this.stmt.textsByLabels.all(JSON.stringify(labels));
  }

  allProducts(): IterableIterator<{ pid: number; category: string | null }> {
    return this.stmt.allProducts.iterate();
  }

  /**
   * Fault injection for tests: true caps this connection's file at its current size (SQLite's
   * max_page_count; it cannot be set below the size), so a write that needs a new page fails with
   * SQLITE_FULL as on a full volume; false lifts the cap. Needs no root and no real disk.
   */
  capGrowth(capped: boolean): void {
    (this.growthCap ??= new SqliteGrowthCap(this.db)).set(capped);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function productOf(row: ProductRow): Product {
  // Both columns are written by writeProducts from the Product itself, so they parse back to its types.
  const product: Product = { id: row.id, title: row.title, intentions: JSON.parse(row.intentions) as string[] };
  if (row.category !== null) product.category = row.category;
  if (row.attributes !== null) product.attributes = JSON.parse(row.attributes) as Record<string, unknown>;
  return product;
}
