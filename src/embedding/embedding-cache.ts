import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { silentLogger, type Logger } from '../core/logger.js';
import type { CacheFailureCounts } from '../core/storage.js';
import { storageRefusalOf } from '../util/storage-errors.js';
import { ThrottledWarning } from '../util/throttled-warning.js';
import { SqliteGrowthCap } from '../util/sqlite-growth-cap.js';

/**
 * A persisted embedding cache: (embedder id, sha256 of the text) → float32 vector, in SQLite.
 * Keyed by the embedder id, which names the model and its settings, so vectors of two models never
 * mix; keyed by a hash, not the text, so keys stay 32 bytes however long the text.
 *
 * Memory stays bounded: nothing is held in process except writes not yet flushed (at most
 * `maxPending`, then flushed in one transaction) and SQLite's own page cache. Lookups go to SQLite
 * in batches of up to 500 keys. WAL lets the server and a CLI job share one cache file.
 * Disk: about 1.6 KB per entry for 384-d vectors, so ~1.6 GB per million distinct texts.
 */
export interface EmbeddingCacheOptions {
  path: string;
  /** Buffered writes before a flush. Default 512. */
  maxPending?: number;
  /** Where failed cache reads and writes are reported (at most once per `warnEveryMs`, default 60 s). */
  logger?: Pick<Logger, 'warn'>;
  warnEveryMs?: number;
  now?: () => number;
}

const LOOKUP_CHUNK = 500;

export class EmbeddingCache {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[number, Buffer, Buffer]>;
  private readonly selectModel: Database.Statement<[string], { id: number }>;
  private readonly insertModel: Database.Statement<[string]>;
  private readonly modelIds = new Map<string, number>();
  private readonly lookups = new Map<number, Database.Statement>();
  private readonly pending = new Map<string, { model: string; hash: Buffer; vector: Float32Array }>();
  private readonly maxPending: number;
  private readonly warning: ThrottledWarning;
  private closed = false;
  /** What the cache could not do: it is best effort, so each of these was skipped, not raised. */
  readonly failures: CacheFailureCounts = { writes: 0, droppedEntries: 0, reads: 0 };

  private growthCap?: SqliteGrowthCap;
  constructor(options: EmbeddingCacheOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    // 16 KiB pages hold nine 384-d rows; at the default 4 KiB a fifth of every page is slack. Only
    // takes effect on a new file (before WAL is switched on).
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    // A cache may lose its last writes in a power cut: they are recomputed, so skip the fsync per commit.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // A rowid table with a separate key index, not WITHOUT ROWID: rows of ~1.6 KB exceed what an
    // index b-tree keeps inline and would spill every vector to overflow pages (~2.5x the disk).
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE IF NOT EXISTS embeddings (model INTEGER NOT NULL, hash BLOB NOT NULL, vector BLOB NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS embeddings_key ON embeddings (model, hash);
    `);
    this.insert = this.db.prepare('INSERT OR REPLACE INTO embeddings (model, hash, vector) VALUES (?, ?, ?)');
    this.selectModel = this.db.prepare('SELECT id FROM models WHERE name = ?');
    this.insertModel = this.db.prepare('INSERT INTO models (name) VALUES (?)');
    this.maxPending = options.maxPending ?? 512;
    this.warning = new ThrottledWarning(
      options.logger ?? silentLogger,
      'embedding cache skipped (best effort; answers are computed without it)',
      options.warnEveryMs ?? 60_000,
      options.now,
    );
  }

  static hash(text: string): Buffer {
    return createHash('sha256').update(text, 'utf8').digest();
  }

  /**
   * Cached vectors of `texts` under `model`, in input order; undefined for a miss. Vectors of
   * another length than `dimension` (a damaged or foreign entry) count as misses.
   */
  get(model: string, texts: readonly string[], dimension: number): (Float32Array | undefined)[] {
    this.assertOpen();
    const hashes = texts.map((t) => EmbeddingCache.hash(t));
    const found = new Map<string, Float32Array>();
    const toQuery: Buffer[] = [];
    for (const h of hashes) {
      const p = this.pending.get(key(model, h));
      if (p) found.set(h.toString('hex'), p.vector);
      else toQuery.push(h);
    }
    try {
      for (let i = 0; i < toQuery.length; i += LOOKUP_CHUNK) {
        const chunk = toQuery.slice(i, i + LOOKUP_CHUNK);
        const modelId = this.modelId(model, false);
        if (modelId === undefined) break;
        const rows = this.lookup(chunk.length).all(modelId, ...chunk) as { hash: Buffer; vector: Buffer }[];
        for (const row of rows) {
          if (row.vector.length !== dimension * 4) continue;
          // Copy into a fresh, aligned buffer: the row's bytes may sit at any offset.
          const v = new Float32Array(dimension);
          new Uint8Array(v.buffer).set(row.vector);
          found.set(row.hash.toString('hex'), v);
        }
      }
    } catch (err) {
      // Whatever was not found is a miss: the caller embeds it, as without a cache.
      this.failures.reads++;
      this.warning.warn({ op: 'read', ...describe(err) });
    }
    return hashes.map((h) => {
      const v = found.get(h.toString('hex'));
      return v ? v.slice() : undefined;
    });
  }

  /** Stores vectors (buffered; flushed when enough are pending and on close). */
  put(model: string, texts: readonly string[], vectors: readonly Float32Array[]): void {
    this.assertOpen();
    texts.forEach((text, i) => {
      const hash = EmbeddingCache.hash(text);
      this.pending.set(key(model, hash), { model, hash, vector: vectors[i].slice() });
    });
    if (this.pending.size >= this.maxPending) this.flush();
  }

  /**
   * Writes the buffered entries in one transaction. Never throws: a write the volume refuses
   * (SQLITE_FULL, read-only) or that fails otherwise drops the buffered entries, is counted in
   * `failures` and reported at most once per interval. The request that caused the flush is
   * answered from the vectors it computed; a cache write must never fail the read it speeds up.
   */
  flush(): void {
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()];
    // Dropped on failure too: kept, they would grow without bound while the disk stays full.
    this.pending.clear();
    try {
      this.db.transaction(() => {
        for (const r of rows)
          this.insert.run(this.modelId(r.model, true)!, r.hash, Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength));
      })();
    } catch (err) {
      // A model id created inside the rolled-back transaction does not exist: forget the cached ones.
      this.modelIds.clear();
      this.failures.writes++;
      this.failures.droppedEntries += rows.length;
      this.warning.warn({ op: 'write', droppedEntries: rows.length, totalFailedWrites: this.failures.writes, ...describe(err) });
    }
  }

  /**
   * Fault injection for tests: true caps the cache file at its current size (SQLite's
   * max_page_count on this connection), so a flush that needs a new page fails with SQLITE_FULL as
   * on a full volume; false lifts the cap.
   */
  capGrowth(capped: boolean): void {
    (this.growthCap ??= new SqliteGrowthCap(this.db)).set(capped);
  }

  /** Entries stored (flushed ones), for all models. */
  size(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM embeddings').get() as { n: number }).n;
  }

  close(): void {
    if (this.closed) return;
    this.flush(); // best effort: a full disk must not keep the file open or fail the shutdown
    this.db.close();
    this.closed = true;
  }

  /** The small integer standing for a model id in the table; created on first write. */
  private modelId(name: string, create: boolean): number | undefined {
    let id = this.modelIds.get(name) ?? this.selectModel.get(name)?.id;
    if (id === undefined && create) id = Number(this.insertModel.run(name).lastInsertRowid);
    if (id !== undefined) this.modelIds.set(name, id);
    return id;
  }

  private lookup(n: number): Database.Statement {
    let stmt = this.lookups.get(n);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT hash, vector FROM embeddings WHERE model = ? AND hash IN (${Array(n).fill('?').join(',')})`);
      // Only the full-size statement and a few remainders get reused; do not keep one per size forever.
      if (this.lookups.size < 64) this.lookups.set(n, stmt);
    }
    return stmt;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('embedding cache is closed');
  }
}

function describe(err: unknown): { error: string; code?: string; storage?: string } {
  const code = (err as { code?: unknown })?.code;
  const storage = storageRefusalOf(err);
  return {
    error: (err as Error)?.message ?? String(err),
    ...(typeof code === 'string' ? { code } : {}),
    ...(storage ? { storage } : {}),
  };
}

function key(model: string, hash: Buffer): string {
  return `${model}\u0000${hash.toString('hex')}`;
}
