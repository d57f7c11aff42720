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
  return db;
}
