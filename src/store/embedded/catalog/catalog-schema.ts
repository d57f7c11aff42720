import Database from 'better-sqlite3';

/**
 * The catalog's file: its tables and the settings that make it durable.
 *
 * WAL with synchronous=FULL makes a committed transaction survive a process kill and a power loss;
 * a transaction interrupted by a crash is rolled back on the next open, so a batch is either
 * entirely there or not at all. WAL also lets the search workers' and the writer thread's own
 * connections read and write the same file beside the main thread's.
 *
 * Text labels come from AUTOINCREMENT, so they only grow and are never reused: "labels above the
 * snapshot's watermark" is exactly "texts written since the snapshot". Removed labels are logged in
 * `removals` (also AUTOINCREMENT) so a restart can replay deletions made after the snapshot.
 * A text's kind is stored as its code (text-kinds.ts), its vector as a blob (vector-blob.ts).
 */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS products (
    pid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    category TEXT,
    intentions TEXT NOT NULL,
    attributes TEXT,
    hash TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS products_category ON products(category);
  CREATE TABLE IF NOT EXISTS texts (
    label INTEGER PRIMARY KEY AUTOINCREMENT,
    pid INTEGER NOT NULL REFERENCES products(pid) ON DELETE CASCADE,
    kind INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS texts_pid ON texts(pid);
  CREATE TABLE IF NOT EXISTS removals (
    rid INTEGER PRIMARY KEY AUTOINCREMENT,
    label INTEGER NOT NULL,
    kind INTEGER NOT NULL
  );
`;

/** Opens (creating if need be) the catalog at `path`, durable as described above. */
export function openCatalogFile(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  ensureTextSearch(db);
  return db;
}

/**
 * BM25 over every text (intentions and titles): an FTS5 index whose content is the texts table
 * itself (external content, so no text is stored twice), kept in step by triggers. The triggers
 * run inside the write's own transaction, so a text is in the BM25 index exactly when it is in the
 * catalog, whatever thread or process wrote it and wherever a crash stops it. Porter stemming
 * lets "grills" match "grill". A catalog made before this index existed gets it built on open,
 * once, from its texts ('rebuild').
 */
const TEXT_SEARCH = `
  CREATE VIRTUAL TABLE texts_fts USING fts5(text, content='texts', content_rowid='label', tokenize='porter unicode61 remove_diacritics 2');
  CREATE TRIGGER texts_fts_insert AFTER INSERT ON texts BEGIN
    INSERT INTO texts_fts(rowid, text) VALUES (new.label, new.text);
  END;
  CREATE TRIGGER texts_fts_delete AFTER DELETE ON texts BEGIN
    INSERT INTO texts_fts(texts_fts, rowid, text) VALUES ('delete', old.label, old.text);
  END;
  CREATE TRIGGER texts_fts_update AFTER UPDATE OF text ON texts BEGIN
    INSERT INTO texts_fts(texts_fts, rowid, text) VALUES ('delete', old.label, old.text);
    INSERT INTO texts_fts(rowid, text) VALUES (new.label, new.text);
  END;
`;

function ensureTextSearch(db: Database.Database): void {
  if (hasTextSearch(db)) return;
  db.transaction(() => {
    if (hasTextSearch(db)) return; // another connection built it while this one waited for the lock
    db.exec(TEXT_SEARCH);
    db.exec("INSERT INTO texts_fts(texts_fts) VALUES ('rebuild')");
  }).immediate();
}

function hasTextSearch(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'texts_fts'").get() !== undefined;
}
